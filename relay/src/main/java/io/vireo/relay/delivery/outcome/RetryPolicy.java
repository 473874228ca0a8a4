package io.vireo.relay.delivery.outcome;

import io.vireo.config.RetryConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;

/**
 * When a recipient that failed temporarily is tried again ({@code delivery.retry.schedule}, the
 * last delay repeating) and when it has waited long enough to be bounced ({@code
 * delivery.retry.max-age}).
 *
 * <p>Each delay is spread by up to {@value #JITTER_PERCENT}% either way, so messages that failed
 * together (a destination outage) do not all come back in the same instant. The last attempt is
 * never scheduled after the expiry time, so a recipient gets one final try right at the deadline
 * before it is bounced.
 */
public final class RetryPolicy {
  static final int JITTER_PERCENT = 10;

  private final List<Duration> schedule;
  private final Duration maxAge;
  private final RandomGenerator random;
  // RandomGenerator implementations need not be thread-safe; draws are rare, so a lock is cheap.
  private final ReentrantLock randomLock = new ReentrantLock();

  public RetryPolicy(RetryConfig config, RandomGenerator random) {
    this.schedule = config.schedule();
    this.maxAge = config.maxAge();
    this.random = Objects.requireNonNull(random, "random");
  }

  Duration maxAge() {
    return maxAge;
  }

  /** The delay before the next try of a recipient that has had {@code attemptsSoFar} attempts. */
  Duration delayAfter(int attemptsSoFar) {
    return schedule.get(Math.min(Math.max(attemptsSoFar, 0), schedule.size() - 1));
  }

  /** The first delay of the schedule: also how long to wait after a local hiccup. */
  Duration firstDelay() {
    return schedule.getFirst();
  }

  /**
   * A factor in [0.9, 1.1] to multiply a delay by; draw one per attempt, shared by its recipients.
   */
  double jitter() {
    randomLock.lock();
    try {
      return 1 + (random.nextDouble() * 2 - 1) * JITTER_PERCENT / 100.0;
    } finally {
      randomLock.unlock();
    }
  }

  /** When a message that arrived at {@code arrival} is bounced instead of retried. */
  Instant expiry(Instant arrival) {
    return arrival.plus(maxAge);
  }

  boolean expired(Instant arrival, Instant now) {
    return !now.isBefore(expiry(arrival));
  }

  /**
   * The next attempt after a temporary failure at {@code now}: the scheduled delay times {@code
   * jitter}, but no later than the expiry time.
   */
  Instant nextAttempt(Instant now, int attemptsSoFar, Instant arrival, double jitter) {
    return notAfterExpiry(now.plus(scale(delayAfter(attemptsSoFar), jitter)), arrival);
  }

  /** {@code candidate}, or the expiry time if that comes first. */
  Instant notAfterExpiry(Instant candidate, Instant arrival) {
    Instant expiry = expiry(arrival);
    return candidate.isAfter(expiry) ? expiry : candidate;
  }

  static Duration scale(Duration delay, double factor) {
    return Duration.ofNanos(Math.round(delay.toNanos() * factor));
  }
}
