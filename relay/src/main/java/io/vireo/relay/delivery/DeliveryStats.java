package io.vireo.relay.delivery;

/**
 * A snapshot of the delivery engine's counters since it started, for metrics and tests.
 *
 * @param attempts recipient outcomes recorded (each recipient of each attempt counts once)
 * @param delivered recipients accepted by the next hop
 * @param deferred recipients deferred for a later attempt
 * @param bounced recipients failed for good and reported (or not, for the null sender)
 * @param bouncesQueued non-delivery reports spooled to senders
 * @param delayNotices delay reports spooled to senders
 * @param suspensions times a destination was suspended (backoff)
 * @param connectionsOpened SMTP connections opened
 * @param connectionsReused transactions sent over a connection that had already carried one (kept
 *     by the worker or borrowed from the pool)
 * @param destinations destinations currently known (queued work, workers or backoff)
 * @param scheduled timer entries waiting for their next attempt
 * @param sharedLimitFallbacks rate and connection decisions taken with this node's own limits
 *     because the shared store ({@code cluster.redis}) was unreachable or slow; always 0 without
 *     one
 */
public record DeliveryStats(
    long attempts,
    long delivered,
    long deferred,
    long bounced,
    long bouncesQueued,
    long delayNotices,
    long suspensions,
    long connectionsOpened,
    long connectionsReused,
    int destinations,
    int scheduled,
    long sharedLimitFallbacks) {}
