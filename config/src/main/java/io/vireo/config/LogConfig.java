package io.vireo.config;

import java.util.Objects;

/**
 * {@code log}: what the relay logs.
 *
 * @param level the root log level: one of {@code trace, debug, info, warn, error}; a reload applies
 *     it at once
 * @param format {@code text} (one line per event) or {@code json} (one JSON object per line, for a
 *     log shipper); a reload applies it at once
 */
public record LogConfig(String level, String format) {
  public static final LogConfig DEFAULTS = new LogConfig("info", "text");

  public LogConfig {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(format, "format");
    if (!ValueType.LOG_LEVELS.contains(level)) {
      throw new IllegalArgumentException("log level must be one of " + ValueType.LOG_LEVELS);
    }
    if (!ValueType.LOG_FORMATS.contains(format)) {
      throw new IllegalArgumentException("log format must be one of " + ValueType.LOG_FORMATS);
    }
  }

  /** Text lines at {@code level}. */
  public LogConfig(String level) {
    this(level, "text");
  }

  /** One JSON object per line rather than text. */
  public boolean json() {
    return format.equals("json");
  }
}
