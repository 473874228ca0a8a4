package io.vireo.relay.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Sets the root log level ({@code log.level}) and the line form ({@code log.format}) of logback, the
 * relay's logging back end.
 */
final class LogLevels {
  /** The text form; the same as {@code logback.xml}'s, which is in force until a format is set. */
  static final String TEXT_PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{0}: %msg%n";

  private LogLevels() {}

  static void apply(String level) {
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
        instanceof ch.qos.logback.classic.Logger root) {
      root.setLevel(Level.toLevel(level.toUpperCase(Locale.ROOT), Level.INFO));
    }
  }

  /**
   * Switches the console appender between text lines and JSON lines (logback's {@link
   * JsonEncoder}, one object per event). Costs a new encoder; events logged meanwhile wait on the
   * appender's lock, none is lost.
   */
  static void format(boolean json) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    // Every console appender of the root logger (logback.xml has one, a test configuration another).
    var appenders = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
    while (appenders.hasNext()) {
      if (appenders.next() instanceof ConsoleAppender<ILoggingEvent> console) {
        format(console, json, context);
      }
    }
  }

  private static void format(
      ConsoleAppender<ILoggingEvent> appender, boolean json, LoggerContext context) {
    Encoder<ILoggingEvent> current = appender.getEncoder();
    if (json == current instanceof JsonEncoder) {
      return;
    }
    Encoder<ILoggingEvent> next;
    if (json) {
      JsonEncoder encoder = new JsonEncoder();
      // The fields an operator greps by; the MDC, key-value pairs and the context's properties
      // are left out (empty here, and the properties would repeat on every line).
      encoder.setWithContext(false);
      encoder.setWithSequenceNumber(false);
      encoder.setWithNanoseconds(false);
      encoder.setWithMDC(false);
      encoder.setWithKVPList(false);
      encoder.setWithMarkers(false);
      encoder.setWithArguments(false);
      // The message as the text form prints it, not its template with {} placeholders.
      encoder.setWithMessage(false);
      encoder.setWithFormattedMessage(true);
      next = encoder;
    } else {
      PatternLayoutEncoder encoder = new PatternLayoutEncoder();
      encoder.setPattern(TEXT_PATTERN);
      next = encoder;
    }
    next.setContext(context);
    next.start();
    // The old encoder is not stopped: a thread appending right now may still be using it.
    appender.setEncoder(next);
  }
}
