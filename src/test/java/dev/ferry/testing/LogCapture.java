package dev.ferry.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Every event Logback's root logger passes on while open (WARN and up under logback-test.xml), from
 * any thread, for a test to read from its own thread.
 */
public final class LogCapture implements AutoCloseable {
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private LogCapture() {
    appender.start();
    root.addAppender(appender);
  }

  public static LogCapture start() {
    return new LogCapture();
  }

  public List<ILoggingEvent> events() {
    synchronized (appender) { // the appender appends under its own lock
      return List.copyOf(appender.list);
    }
  }

  /** The events of one logger. */
  public List<ILoggingEvent> from(Class<?> logger) {
    return events().stream().filter(e -> e.getLoggerName().equals(logger.getName())).toList();
  }

  /**
   * Each event that carries a stack trace or is an ERROR, one line each (empty when there is none).
   */
  public List<String> stackTracesAndErrors() {
    return events().stream()
        .filter(e -> e.getThrowableProxy() != null || e.getLevel().isGreaterOrEqual(Level.ERROR))
        .map(
            e ->
                e.getLevel()
                    + " "
                    + e.getLoggerName()
                    + ": "
                    + e.getFormattedMessage()
                    + (e.getThrowableProxy() == null
                        ? ""
                        : " ["
                            + e.getThrowableProxy().getClassName()
                            + ": "
                            + e.getThrowableProxy().getMessage()
                            + "]"))
        .toList();
  }

  public void clear() {
    synchronized (appender) {
      appender.list.clear();
    }
  }

  @Override
  public void close() {
    root.detachAppender(appender);
  }
}
