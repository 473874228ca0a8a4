/**
 * Scheduling: from "due" to a worker, in this node's time and limits.
 *
 * <ul>
 *   <li>{@link io.vireo.relay.delivery.schedule.Scheduler}: the timer, the lookup tasks that read a
 *       due message's state and route it, and the destinations' queues and workers.
 *   <li>{@code DeliveryTimer}: recipients waiting for their next attempt, earliest first; it sleeps
 *       until the earliest is due.
 *   <li>{@link io.vireo.relay.delivery.schedule.Ticker}: the one source of time the timer and the
 *       workers read and wait on; tests give a manual one and move its clock.
 *   <li>{@code Destinations}, {@code Destination}: one ready queue, connection limit, rate and
 *       connection slots (a {@link io.vireo.relay.delivery.schedule.limits.DestinationLimiter}:
 *       this node's own, or shared by a fleet on Redis) and backoff ({@code Backoff}, {@code
 *       Throttling}) per destination.
 *   <li>{@code DestinationWorker} (SMTP over reused connections) and {@code MailboxWorker} (the
 *       mailbox transport): virtual threads that take a destination's jobs and hand each result to
 *       the outcomes.
 * </ul>
 */
package io.vireo.relay.delivery.schedule;
