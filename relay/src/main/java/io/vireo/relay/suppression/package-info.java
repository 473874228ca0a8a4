/**
 * The suppression list: addresses not to mail, with why and since when. {@link SuppressionList}
 * keeps it in memory over a JSON-lines journal ({@link SuppressionJournal}); {@link BounceRules}
 * adds an address on a hard bounce or repeated soft bounces (it listens to the events); {@link
 * SuppressionGate} refuses a suppressed recipient at RCPT ({@code 550 5.7.1}) and reports a
 * {@code suppressed} event.
 */
package io.vireo.relay.suppression;
