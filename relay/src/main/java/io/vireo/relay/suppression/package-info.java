/**
 * The suppression list: addresses not to mail, with why and since when. {@link SuppressionList}
 * keeps it in memory over a JSON-lines journal ({@link SuppressionJournal}); {@link BounceRules}
 * adds an address on a hard bounce or repeated soft bounces (it listens to the events); {@link
 * SuppressionGate} refuses a suppressed recipient at RCPT ({@code 550 5.7.1}) and reports a
 * {@code suppressed} event (as the HTTP API's 422 does, with {@link SuppressionGate#refused});
 * {@link SuppressionRequests} is {@code /v1/suppressions}, served alike by the admin API and the
 * HTTP send API.
 */
package io.vireo.relay.suppression;
