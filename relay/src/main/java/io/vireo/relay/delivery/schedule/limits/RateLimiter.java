package io.vireo.relay.delivery.schedule.limits;

import io.vireo.config.Rate;
import java.time.Duration;
import java.time.Instant;

/**
 * Spaces messages to one destination evenly at its configured rate ({@code 100/s} means one every
 * 10 ms, across all its connections): each message reserves the next free slot and waits for it.
 * There is no burst allowance, so a destination never sees more than the rate over any window. Not
 * thread-safe: its {@link LocalLimits} limiter guards it; time comes from the caller.
 */
final class RateLimiter {
  private final long intervalNanos;
  private Instant nextSlot;

  RateLimiter(Rate rate) {
    this.intervalNanos = rate.isUnlimited() ? 0 : Math.max(1, Math.round(1e9 / rate.perSecond()));
  }

  /** Reserves a slot only if one is free right now; false leaves the limiter unchanged. */
  boolean tryReserve(Instant now) {
    if (nextSlot != null && nextSlot.isAfter(now)) {
      return false;
    }
    reserve(now); // a slot is free now: it costs no wait
    return true;
  }

  /** Reserves a slot for one message and returns how long to wait for it (zero: go now). */
  Duration reserve(Instant now) {
    if (intervalNanos == 0) {
      return Duration.ZERO;
    }
    Instant slot = nextSlot == null || nextSlot.isBefore(now) ? now : nextSlot;
    nextSlot = slot.plusNanos(intervalNanos);
    return Duration.between(now, slot);
  }
}
