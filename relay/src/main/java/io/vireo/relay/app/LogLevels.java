package io.vireo.relay.app;

import ch.qos.logback.classic.Level;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/** Sets the root log level of logback, the relay's logging back end ({@code log.level}). */
final class LogLevels {
  private LogLevels() {}

  static void apply(String level) {
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
        instanceof ch.qos.logback.classic.Logger root) {
      root.setLevel(Level.toLevel(level.toUpperCase(Locale.ROOT), Level.INFO));
    }
  }
}
