/**
 * Outcomes: what an attempt did for each recipient, and what follows.
 *
 * <ul>
 *   <li>{@link io.vireo.relay.delivery.outcome.RecipientOutcome}: sent, try again, held or
 *       undeliverable, with the reply that decided it ({@link
 *       io.vireo.relay.delivery.outcome.LocalReplies} for the ones no server gave).
 *   <li>{@link io.vireo.relay.delivery.outcome.Outcomes} writes each outcome to the events journal
 *       before acting on it: reschedule with {@link io.vireo.relay.delivery.outcome.RetryPolicy},
 *       bounce or notify through {@link io.vireo.relay.delivery.outcome.dsn}, log with {@link
 *       io.vireo.relay.delivery.outcome.DeliveryLog}.
 * </ul>
 */
package io.vireo.relay.delivery.outcome;
