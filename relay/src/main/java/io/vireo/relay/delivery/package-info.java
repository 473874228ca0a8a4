/**
 * The delivery engine: takes spooled messages to their destinations. Read it in the order mail
 * flows:
 *
 * <ol>
 *   <li>{@link io.vireo.relay.delivery.DeliveryEngine}, the entry point: {@code start()} schedules
 *       what the spool holds, {@code submit(Envelope)} each newly accepted message, {@code stats()}
 *       reports counters, {@code close()} stops with a bounded grace. It wires the parts below.
 *   <li>{@link io.vireo.relay.delivery.schedule}: when and in what order. The timer holds
 *       recipients until their next attempt, a lookup routes them, each destination queues them
 *       with its own limits, rate and backoff, and workers take them, all on one injectable {@link
 *       io.vireo.relay.delivery.schedule.Ticker}.
 *   <li>{@link io.vireo.relay.delivery.transport}: how they leave, as routing chose it: SMTP
 *       through the client in {@link io.vireo.relay.delivery.smtp}, or into local mailboxes.
 *   <li>{@link io.vireo.relay.delivery.outcome}: what each attempt did for each recipient, written
 *       to the events journal before it is acted on (retry, bounce, log).
 * </ol>
 */
package io.vireo.relay.delivery;
