package io.vireo.relay.delivery;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Collects what one logger (and those below it) writes, as formatted lines, while a test runs.
 * Public so the {@code delivery.smtp} tests can check what the client logs.
 */
public final class LogCapture implements AutoCloseable {
  private final Logger logger;
  private final Level previousLevel;
  private final boolean previousAdditive;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  /** Captures {@code loggerName} at INFO and above. */
  public LogCapture(String loggerName) {
    this(loggerName, Level.INFO);
  }

  /** Captures {@code loggerName} at {@code level} and above. */
  public LogCapture(String loggerName, Level level) {
    this.logger = (Logger) LoggerFactory.getLogger(loggerName);
    this.previousLevel = logger.getLevel();
    this.previousAdditive = logger.isAdditive();
    logger.setLevel(level);
    logger.setAdditive(false); // captured, not printed
    appender.start();
    logger.addAppender(appender);
  }

  public List<String> lines() {
    // ListAppender's list is a plain ArrayList written by other threads: copy it under its lock.
    synchronized (appender) {
      return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  public List<String> linesContaining(String text) {
    return lines().stream().filter(line -> line.contains(text)).toList();
  }

  /**
   * Every captured line with the message of any exception logged with it, for checks that some text
   * never reaches the log.
   */
  public List<String> linesWithThrowables() {
    synchronized (appender) {
      return appender.list.stream()
          .map(
              event ->
                  event.getThrowableProxy() == null
                      ? event.getFormattedMessage()
                      : event.getFormattedMessage() + " " + event.getThrowableProxy().getMessage())
          .toList();
    }
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setLevel(previousLevel);
    logger.setAdditive(previousAdditive);
    appender.stop();
  }
}
