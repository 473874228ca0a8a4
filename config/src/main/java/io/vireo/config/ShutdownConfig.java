package io.vireo.config;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code shutdown}: how a stopping relay drains.
 *
 * @param grace how long SIGTERM lets sessions inside DATA/BDAT and running deliveries finish before
 *     they are cut off
 */
public record ShutdownConfig(Duration grace) {
  public static final ShutdownConfig DEFAULTS = new ShutdownConfig(Duration.ofSeconds(30));

  public ShutdownConfig {
    Objects.requireNonNull(grace, "grace");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("shutdown grace must not be negative: " + grace);
    }
  }
}
