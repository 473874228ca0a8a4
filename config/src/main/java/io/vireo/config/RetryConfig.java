package io.vireo.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * {@code delivery.retry}: delays between attempts (the last one repeats) and how long a message may stay
 * queued before its recipients are bounced.
 */
public record RetryConfig(List<Duration> schedule, Duration maxAge) {
  public RetryConfig {
    schedule = List.copyOf(schedule);
    Objects.requireNonNull(maxAge, "maxAge");
  }
}
