package dev.ferry.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ferry.config.FerryConfig;
import dev.ferry.testing.Polls;
import dev.ferry.testing.Sink;
import dev.ferry.testing.TestConfigs;
import dev.ferry.testing.TestFerry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.logstash.logback.encoder.LogstashEncoder;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Every line Ferry logs while it is sent tokens (header and query), a destination with secrets in
 * its query and user info, and a failing destination: the lines are captured from the process's
 * Logback and rendered in both formats; no secret appears in either.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LogRedactionTest {
  private static final String QUERY_SECRET = "s3cr3t-api-key";
  private static final String USER_SECRET = "pa55w0rd";
  private static final String WRONG_TOKEN = "wrong-but-still-secret-token";

  @TempDir Path dir;
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private Level accessLevel;
  private Level failureLevel;
  private TestFerry ferry;

  @BeforeEach
  void capture() {
    lines.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(lines);
    Logger access = context.getLogger(AccessLog.LOGGER);
    accessLevel = access.getLevel();
    access.setLevel(Level.INFO); // logback-test.xml logs WARN and up only
    Logger failures = context.getLogger(FailedAttemptLog.class);
    failureLevel = failures.getLevel();
    failures.setLevel(Level.WARN);
  }

  @AfterEach
  void release() throws Exception {
    if (ferry != null) ferry.close();
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(lines);
    context.getLogger(AccessLog.LOGGER).setLevel(accessLevel);
    context.getLogger(FailedAttemptLog.class).setLevel(failureLevel);
  }

  @Test
  void no_token_key_or_destination_secret_reaches_a_log_line(Vertx vertx) throws Exception {
    Sink sink = Sink.startBlocking(vertx);
    sink.on("/down", r -> Sink.Reply.status(500));
    FerryConfig config =
        TestConfigs.of(dir)
            .set("logging.accessLog", true)
            .set("logging.failedAttemptsPerSecond", 100)
            .build();
    ferry = TestFerry.start(vertx, config);

    // the token both as the Authorization header (TestFerry sends it) and in the query
    assertEquals(
        201,
        ferry
            .publish(
                sink.url("/hook?key=" + QUERY_SECRET) + "&qstash_token=" + TestFerry.TOKEN,
                Map.of(),
                "body")
            .statusCode());
    assertEquals(
        201,
        ferry
            .publish(sink.url("/down?key=" + QUERY_SECRET), Map.of("Upstash-Retries", "0"), "body")
            .statusCode());
    assertEquals(
        400,
        ferry
            .publish(
                "http://user:" + USER_SECRET + "@127.0.0.1:" + sink.port() + "/x", Map.of(), "b")
            .statusCode());
    assertEquals(401, ferry.get("/v2/queues?qstash_token=" + WRONG_TOKEN).statusCode());
    assertEquals(200, ferry.send(HttpMethod.GET, "/v2/keys", Map.of(), null).statusCode());
    // the console's own calls carry the token the same way
    assertEquals(
        200, ferry.send(HttpMethod.GET, "/ferry/v1/overview", Map.of(), null).statusCode());
    sink.await("/hook", 1, 10_000);
    awaitLine("delivery attempt 1 of 1 failed");
    awaitLine("GET /v2/keys 200");
    awaitLine("GET /ferry/v1/overview 200");

    String text = render();
    assertTrue(
        text.contains("POST /v2/publish/http://127.0.0.1:" + sink.port() + "/hook 201"), text);
    assertTrue(text.contains("GET /v2/queues 401"), text);
    assertTrue(text.contains("/v2/publish/http://***@127.0.0.1:" + sink.port() + "/x 400"), text);
    assertTrue(text.contains("to 127.0.0.1: HTTP 500; moved to the DLQ"), text);
    for (String secret :
        List.of(
            TestFerry.TOKEN,
            TestFerry.OTHER_TOKEN,
            TestFerry.CURRENT_KEY,
            TestFerry.NEXT_KEY,
            QUERY_SECRET,
            USER_SECRET,
            WRONG_TOKEN,
            "qstash_token",
            "Bearer")) {
      assertFalse(text.contains(secret), secret + " was logged:\n" + text);
    }
  }

  private void awaitLine(String fragment) {
    try {
      Polls.within(Duration.ofSeconds(10))
          .until(
              () -> lines.list.stream().anyMatch(e -> e.getFormattedMessage().contains(fragment)));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("no line with \"" + fragment + "\" in:\n" + render());
    }
  }

  /**
   * Every captured line as the text format shows it and as the JSON format does (with all fields).
   */
  private String render() {
    LogstashEncoder json = new LogstashEncoder();
    json.setContext(context);
    json.start();
    StringBuilder all = new StringBuilder();
    for (ILoggingEvent e : List.copyOf(lines.list)) {
      all.append(e.getFormattedMessage()).append('\n');
      all.append(new String(json.encode(e), StandardCharsets.UTF_8));
    }
    json.stop();
    return all.toString();
  }
}
