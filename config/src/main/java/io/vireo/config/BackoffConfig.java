package io.vireo.config;

import java.time.Duration;

/**
 * {@code delivery.backoff}: how long a destination that refused or timed out on every host is
 * left alone; the pause starts at {@code initial} and doubles on each further failure up to {@code
 * max}, so a dead site is not hammered by every queued message.
 */
public record BackoffConfig(Duration initial, Duration max) {
  public BackoffConfig {
    Checks.requirePositive("backoff initial", initial);
    Checks.requirePositive("backoff max", max);
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "backoff max (" + max + ") must be at least initial (" + initial + ")");
    }
  }
}
