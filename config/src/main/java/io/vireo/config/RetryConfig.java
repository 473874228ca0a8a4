package io.vireo.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code delivery.retry}: delays between attempts (the last one repeats) and how long a message may
 * stay queued before its recipients are bounced.
 */
public record RetryConfig(List<Duration> schedule, Duration maxAge) {
  public RetryConfig {
    schedule = List.copyOf(schedule);
    if (schedule.isEmpty()) {
      throw new IllegalArgumentException("the retry schedule needs at least one delay");
    }
    for (Duration delay : schedule) {
      Checks.requirePositive("retry delay", delay);
    }
    Checks.requirePositive("maxAge", maxAge);
  }
}
