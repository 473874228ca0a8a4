package io.vireo.relay.delivery;

import io.vireo.queue.Histogram;
import io.vireo.relay.delivery.smtp.PoolStats;
import java.util.List;

/**
 * A snapshot of the delivery engine's counters since it started, and of its queues now, for
 * metrics and tests.
 *
 * @param attempts recipient outcomes recorded (each recipient of each attempt counts once)
 * @param delivered recipients accepted by the next hop
 * @param deferred recipients deferred for a later attempt
 * @param bounced recipients failed for good and reported (or not, for the null sender)
 * @param expired recipients failed because they were still undelivered at {@code retry.max-age}
 *     (also counted in {@code bounced} once their bounce is recorded)
 * @param bouncesQueued non-delivery reports spooled to senders
 * @param delayNotices delay reports spooled to senders
 * @param suspensions times a destination was suspended (backoff)
 * @param connectionsOpened SMTP connections opened
 * @param connectionsReused transactions sent over a connection that had already carried one (kept
 *     by the worker or borrowed from the pool)
 * @param destinations destinations currently known (queued work, workers or backoff)
 * @param scheduled timer entries waiting for their next attempt
 * @param acceptToDeliveredMillis milliseconds from each delivered recipient's message arrival to
 *     its delivery
 * @param pool the shared connection pool
 * @param queues each known destination's queue, in no particular order
 * @param sharedLimitFallbacks rate and connection decisions taken with this node's own limits
 *     because the shared store ({@code cluster.redis}) was unreachable or slow; always 0 without
 *     one
 */
public record DeliveryStats(
    long attempts,
    long delivered,
    long deferred,
    long bounced,
    long expired,
    long bouncesQueued,
    long delayNotices,
    long suspensions,
    long connectionsOpened,
    long connectionsReused,
    int destinations,
    int scheduled,
    Histogram.Snapshot acceptToDeliveredMillis,
    PoolStats pool,
    List<DestinationStats> queues,
    long sharedLimitFallbacks) {
  public DeliveryStats {
    queues = List.copyOf(queues);
  }
}
