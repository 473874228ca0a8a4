package io.vireo.relay.delivery.schedule;

import io.vireo.config.BackoffConfig;
import java.time.Duration;

/**
 * How long a destination in trouble is left alone ({@code delivery.backoff}): {@code initial} after
 * the first failure, doubling with each further one up to {@code max}, back to nothing after a
 * success. Not thread-safe: its {@link Destination} guards it.
 */
final class Backoff {
  private final Duration initial;
  private final Duration max;
  private Duration current = Duration.ZERO;

  Backoff(BackoffConfig config) {
    this.initial = config.initial();
    this.max = config.max();
  }

  /** Records a failure and returns the pause it earns. */
  Duration fail() {
    current = current.isZero() ? initial : min(current.multipliedBy(2), max);
    return current;
  }

  /** Records a success; true if the destination had been backing off. */
  boolean reset() {
    boolean wasBackingOff = !current.isZero();
    current = Duration.ZERO;
    return wasBackingOff;
  }

  boolean active() {
    return !current.isZero();
  }

  Duration current() {
    return current;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
