package io.vireo.config;

import java.util.Objects;

/**
 * {@code log}: what the relay logs.
 *
 * @param level the root log level: one of {@code trace, debug, info, warn, error}; a reload applies
 *     it at once
 */
public record LogConfig(String level) {
  public static final LogConfig DEFAULTS = new LogConfig("info");

  public LogConfig {
    Objects.requireNonNull(level, "level");
    if (!ValueType.LOG_LEVELS.contains(level)) {
      throw new IllegalArgumentException("log level must be one of " + ValueType.LOG_LEVELS);
    }
  }
}
