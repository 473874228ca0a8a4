/**
 * The delivery engine: the scheduler that takes spooled messages to their destinations.
 *
 * <p>{@link io.vireo.relay.delivery.DeliveryEngine} is the entry point: {@code start()} schedules
 * what the spool holds, {@code submit(Envelope)} each newly accepted message, {@code stats()}
 * reports counters, {@code close()} stops with a bounded grace. Inside:
 *
 * <ul>
 *   <li>{@code DeliveryTimer}: recipients waiting for their next attempt, earliest first.
 *   <li>{@code Router}: a recipient domain's {@code delivery.routes} smarthost or MX hosts, and the
 *       destination key that rolls domains with the same MX hosts into one destination.
 *   <li>{@code Destination}: one ready queue, connection limit, rate and connection slots (a
 *       {@link io.vireo.relay.delivery.limits.DestinationLimiter}: this node's own, or shared by a
 *       fleet on Redis) and backoff ({@code Backoff}) per destination.
 *   <li>{@code DestinationWorker}: a virtual thread that sends a destination's jobs over a reused
 *       connection through the SMTP client of {@link io.vireo.relay.delivery.smtp}.
 *   <li>{@code Outcomes}: writes each recipient's outcome to the events journal before acting on it
 *       (reschedule with {@code RetryPolicy}, bounce through {@link io.vireo.relay.delivery.dsn},
 *       log with {@code DeliveryLog}).
 * </ul>
 */
package io.vireo.relay.delivery;
