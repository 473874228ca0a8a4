package io.vireo.relay.delivery.schedule.limits;

import io.vireo.config.DestinationLimits;

/**
 * Where the per-destination limits ({@code rate} and {@code connections}) are held: in this node
 * alone ({@link LocalLimits}), or in a store shared by a fleet of nodes ({@link RedisLimits}), so
 * that the fleet together stays under a destination's limits.
 *
 * <p>An implementation never refuses to decide: when a shared store is unavailable it falls back
 * to this node's own limits and counts the fallback ({@link #fallbacks()}); mail is never held up
 * or lost because of it.
 */
public interface SharedLimits extends AutoCloseable {
  /** The limiter of one destination, named by its key (the same on every node). */
  DestinationLimiter limiter(String destination, DestinationLimits limits);

  /** Decisions taken with this node's own limits because the shared store was unavailable. */
  long fallbacks();

  /** Stops background work; limiters handed out fall back to local limits afterwards. */
  @Override
  void close();
}
