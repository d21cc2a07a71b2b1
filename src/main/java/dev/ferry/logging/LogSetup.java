package dev.ferry.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.ferry.config.FerryConfig;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code logging.*} to Logback once the configuration is loaded (until then {@code
 * logback.xml} logs readable lines at INFO): readable lines or one JSON object per line on standard
 * output, the level of Ferry's own loggers, and the access log on or off. Lines go through an
 * in-memory queue to a writer thread, so an event loop does not wait on a slow terminal or log
 * collector unless 8192 lines are already waiting; nothing is dropped. Called by {@code Main};
 * {@link #stop} flushes at shutdown.
 */
public final class LogSetup {
  /** The readable line format (also {@code logback.xml}'s). */
  public static final String TEXT_PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n";

  private static final int QUEUE_SIZE = 8192;

  private LogSetup() {}

  /** Reconfigures the process's Logback to write to standard output as {@code config} says. */
  public static void apply(FerryConfig.Logging config) {
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setName("console");
    apply(context(), config, console);
  }

  /**
   * Replaces every appender of {@code context} with {@code sink} (not yet started; this sets its
   * encoder) behind a queue, and sets the levels. Tests pass their own context and an in-memory
   * sink.
   */
  public static void apply(
      LoggerContext context, FerryConfig.Logging config, OutputStreamAppender<ILoggingEvent> sink) {
    context.reset();
    sink.setContext(context);
    sink.setEncoder(encoder(context, config.json()));
    sink.start();

    AsyncAppender async = new AsyncAppender();
    async.setContext(context);
    async.setName("async");
    async.setQueueSize(QUEUE_SIZE);
    async.setDiscardingThreshold(0); // never drop INFO lines when the queue fills: wait instead
    async.setNeverBlock(false);
    async.setIncludeCallerData(false);
    async.addAppender(sink);
    async.start();

    Level level = Level.toLevel(config.level(), Level.INFO);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.addAppender(async);
    // Libraries log at INFO and above; a quieter level for Ferry quiets them too, a louder one does
    // not.
    root.setLevel(level.isGreaterOrEqual(Level.INFO) ? level : Level.INFO);
    context.getLogger("dev.ferry").setLevel(level);
    context.getLogger(AccessLog.LOGGER).setLevel(config.accessLog() ? Level.INFO : Level.OFF);
    // Each API verticle's server registers Vert.x's shared connection gauge again; Micrometer warns
    // about it once.
    context.getLogger("io.micrometer.core.instrument.MeterRegistry").setLevel(Level.ERROR);
  }

  /** Writes out what is still queued and stops Logback; the last call of a shutdown. */
  public static void stop() {
    context().stop();
  }

  private static LoggerContext context() {
    return (LoggerContext) LoggerFactory.getILoggerFactory();
  }

  private static Encoder<ILoggingEvent> encoder(LoggerContext context, boolean json) {
    if (json) {
      LogstashEncoder encoder = new LogstashEncoder();
      encoder.setContext(context);
      encoder.setIncludeContext(false);
      encoder.start();
      return encoder;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(TEXT_PATTERN);
    encoder.start();
    return encoder;
  }
}
