package io.vireo.relay.delivery.schedule.limits;

import io.vireo.config.DestinationLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Limits held by this node alone: each destination's rate is spaced by a {@link RateLimiter}, and
 * its {@code connections} cap is the number of workers the destination starts, so connection slots
 * are always granted here.
 */
public final class LocalLimits implements SharedLimits {
  @Override
  public DestinationLimiter limiter(String destination, DestinationLimits limits) {
    return new Local(limits);
  }

  @Override
  public long fallbacks() {
    return 0;
  }

  @Override
  public void close() {}

  /** A destination's local rate limiter, guarded by its own lock. */
  static final class Local implements DestinationLimiter {
    private static final ConnectionSlot ALWAYS =
        new ConnectionSlot() {
          @Override
          public boolean tryAcquire() {
            return true;
          }

          @Override
          public void release() {}
        };

    private final ReentrantLock lock = new ReentrantLock();
    private final RateLimiter rate;

    Local(DestinationLimits limits) {
      this.rate = new RateLimiter(limits.rate());
    }

    @Override
    public Duration reserve(Instant now) {
      lock.lock();
      try {
        return rate.reserve(now);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public boolean tryReserve(Instant now) {
      lock.lock();
      try {
        return rate.tryReserve(now);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public ConnectionSlot connectionSlot() {
      return ALWAYS;
    }
  }
}
