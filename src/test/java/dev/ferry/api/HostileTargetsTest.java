package dev.ferry.api;

import static dev.ferry.testing.RawHttp.head;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.ferry.logging.RefusedRequestLog;
import dev.ferry.testing.LogCapture;
import dev.ferry.testing.Polls;
import dev.ferry.testing.RawHttp;
import dev.ferry.testing.TestConfigs;
import dev.ferry.testing.TestFerry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request targets a parser could trip over, written byte for byte to a real Ferry over raw sockets
 * (an HTTP client would refuse or normalise them): a malformed percent-escape in the path of every
 * route family and in the query, invalid UTF-8 and NUL once decoded, dot segments, the absolute
 * form, unknown methods, an overlong line, bodies that are not what their Content-Type says. Each
 * gets a 4xx with a JSON {@code {"error"}} naming the problem, and none puts a stack trace or an
 * ERROR in Ferry's log. A path that cannot be routed is refused before the token check (400 with or
 * without a token), anything else after it (401 without one).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileTargetsTest {
  private static final String AUTH = "Authorization: Bearer " + TestFerry.TOKEN;
  private static final String PATH_ESCAPE = "invalid percent-escape \"%zz\" in the path";
  private static final String QUERY_ESCAPE = "invalid percent-escape \"%zz\" in the query";

  private Vertx vertx;
  private TestFerry ferry;
  private LogCapture log;

  /**
   * One hostile request and its answer with a token; {@code beforeAuth}: the same answer without
   * one.
   */
  record Case(
      String method,
      String target,
      String contentType,
      String body,
      int status,
      String error,
      boolean beforeAuth) {
    @Override
    public String toString() {
      String shown = target.length() > 60 ? target.substring(0, 60) + "..." : target;
      return method
          + " "
          + shown.replace("\u0001", "\\u0001")
          + (body == null ? "" : " (" + contentType + " body)");
    }
  }

  private static Case path(String method, String target, String escape) {
    return new Case(
        method,
        target,
        null,
        null,
        400,
        "invalid percent-escape \"" + escape + "\" in the path",
        true);
  }

  private static Case answered(String method, String target, int status, String error) {
    return new Case(method, target, null, null, status, error, false);
  }

  private static Case body(String method, String target, String type, String body, String error) {
    return new Case(method, target, type, body, 400, error, false);
  }

  static Stream<Case> cases() {
    return Stream.of(
        // a malformed escape in the path: vertx-web cannot match any route, token check included
        path("POST", "/v2/publish/%zz", "%zz"),
        path("POST", "/v2/publish/%", "%"),
        path("POST", "/v2/publish/https://example.com/a%zzb", "%zz"),
        path("POST", "/v2/publish/https%3A%2F%2Fexample.com%2F%zz", "%zz"),
        path("POST", "/v2/enqueue/q/%zz", "%zz"),
        path("POST", "/v2/batch%", "%"),
        path("GET", "/v2/messages/%zz", "%zz"),
        path("DELETE", "/v2/messages/%zz", "%zz"),
        path("GET", "/v2/dlq/%", "%"),
        path("POST", "/v2/dlq/retry/%zz", "%zz"),
        path("GET", "/v2/queues/%zz", "%zz"),
        path("POST", "/v2/queues/%zz/pause", "%zz"),
        path("GET", "/v2/topics/%zz", "%zz"),
        path("POST", "/v2/topics/%zz/endpoints", "%zz"),
        path("GET", "/v2/schedules/%zz", "%zz"),
        path("PATCH", "/v2/schedules/%zz/pause", "%zz"),
        path("POST", "/v2/schedules/%zz", "%zz"),
        path("GET", "/v2/keys%zz", "%zz"),
        path("POST", "/v2/keys/rotate%", "%"),
        path("GET", "/v2/flowControl/%zz", "%zz"),
        path("POST", "/v2/flowControl/%zz/pin", "%zz"),
        path("GET", "/v2/logs%zz", "%zz"),
        path("GET", "/v2/events/%1", "%1"),
        path("GET", "/v2/%u0041", "%u0"),
        path("GET", "/health/live%zz", "%zz"),
        path("GET", "/metrics%zz", "%zz"),
        path("GET", "/%zz", "%zz"),
        path("GET", "http://ferry.example/v2/queues/%zz?a=b", "%zz"),
        path("GET", "/v2/queues/%\u0001", "%\\u0001"),
        // a malformed escape in a query parameter Ferry reads
        answered("GET", "/v2/dlq?cursor=%zz", 400, QUERY_ESCAPE),
        answered("DELETE", "/v2/dlq?dlqIds=%zz", 400, QUERY_ESCAPE),
        answered("GET", "/v2/logs?messageId=%zz", 400, QUERY_ESCAPE),
        answered("GET", "/v2/events?count=%", 400, "invalid percent-escape \"%\" in the query"),
        answered("GET", "/v2/flowControl?search=%zz", 400, QUERY_ESCAPE),
        // matching a route with path parameters decodes the query too (after the token check)
        answered("POST", "/v2/flowControl/k/pin?parallelism=%zz", 400, QUERY_ESCAPE),
        answered("GET", "/v2/queues/q?x=%zz", 400, QUERY_ESCAPE),
        answered("GET", "/v2/messages/m?x=%", 400, "invalid percent-escape \"%\" in the query"),
        answered("DELETE", "/v2/messages?messageIds=%zz", 400, QUERY_ESCAPE),
        answered(
            "POST",
            "/v2/publish/https://example.com/x?upstash-retries=%zz",
            400,
            "upstash-retries"),
        // well-formed escapes of bytes that are not UTF-8, or NUL, or dot segments
        answered("GET", "/v2/messages/%C3%28", 404, "not found"),
        answered("GET", "/v2/messages/%FF", 404, "not found"),
        answered("GET", "/v2/messages/%00", 404, "not found"),
        answered("GET", "/v2/dlq/%FF", 404, "not found"),
        answered("GET", "/v2/queues/%FF", 400, "invalid queue name"),
        answered("GET", "/v2/queues/%00", 400, "invalid queue name"),
        answered("GET", "/v2/topics/%C3%28", 400, "invalid url group name"),
        answered("POST", "/v2/publish/%00", 400, "invalid destination"),
        answered("GET", "/v2/dlq/%2e%2e", 404, "no such endpoint"),
        answered("POST", "/v2/keys/../publish/https://example.com/x", 400, "/v2/publish/"),
        // methods no route has
        answered("FOO", "/v2/keys", 404, "no such endpoint: FOO /v2/keys"),
        answered("TRACE", "/v2/keys", 404, "no such endpoint"),
        answered("DELETE", "/v2/keys", 404, "no such endpoint"),
        // the HTTP decoder's limit, ahead of everything
        new Case(
            "GET",
            "/v2/queues/" + "a".repeat(20_000),
            null,
            null,
            414,
            "request line too long",
            true),
        // bodies that are not what their Content-Type says, or not what the endpoint reads
        body("POST", "/v2/queues", "application/x-www-form-urlencoded", "a=%zz", "malformed JSON"),
        body(
            "DELETE",
            "/v2/messages",
            "application/x-www-form-urlencoded",
            "messageIds=%zz",
            "malformed JSON"),
        body("POST", "/v2/batch", "multipart/form-data; boundary=", "--\r\n", "malformed JSON"),
        body("POST", "/v2/queues", "application/json", "{", "malformed JSON"),
        body("POST", "/v2/queues", "application/json", "\u00ff\u00fe", "malformed JSON"),
        body("PATCH", "/v2/topics/g", "text/plain", "[", "malformed JSON"));
  }

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    vertx = Vertx.vertx();
    // a budget no test here exhausts, so each refusal's line can be checked
    ferry =
        TestFerry.start(
            vertx, TestConfigs.of(dir).set("logging.failedAttemptsPerSecond", 10_000).build());
  }

  @AfterAll
  void stop() throws Exception {
    ferry.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void capture() {
    log = LogCapture.start();
  }

  @AfterEach
  void release() {
    log.close();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void is_a_json_4xx_naming_the_problem_without_a_stack_trace(Case c) throws Exception {
    assertJsonError(send(ferry.port(), c, true), c.status(), c.error());
    assertEquals(List.of(), log.stackTracesAndErrors());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void without_a_token_a_path_that_cannot_be_routed_is_400_and_anything_else_401(Case c)
      throws Exception {
    RawHttp.Response r = send(ferry.port(), c, false);
    if (c.beforeAuth()) {
      assertJsonError(r, c.status(), c.error());
    } else {
      assertJsonError(r, 401, "missing authorization");
    }
    assertEquals(List.of(), log.stackTracesAndErrors());
  }

  @Test
  void a_malformed_path_is_logged_as_one_short_line_without_the_path() throws Exception {
    Case c = path("POST", "/v2/publish/https://user:secret@example.com/hook%zz?key=secret", "%zz");
    assertJsonError(send(ferry.port(), c, false), 400, PATH_ESCAPE);
    List<ILoggingEvent> lines = log.from(RefusedRequestLog.class);
    assertEquals(1, lines.size(), lines.toString());
    assertEquals(
        "refused a POST request from 127.0.0.1: " + PATH_ESCAPE,
        lines.get(0).getFormattedMessage());
    assertEquals(List.of(), log.stackTracesAndErrors());
  }

  @Test
  void dot_segments_are_resolved_before_the_token_is_checked() throws Exception {
    for (String target :
        List.of(
            "/health/../v2/keys",
            "/metrics/../v2/keys",
            "/v2/%2e%2e/v2/keys",
            "/health/live/../../v2/keys")) {
      Case c = answered("GET", target, 401, "missing authorization");
      assertJsonError(send(ferry.port(), c, false), 401, "missing authorization");
      assertEquals(200, send(ferry.port(), c, true).status(), target);
    }
  }

  @Test
  void a_flood_of_malformed_paths_logs_at_most_the_rate_and_counts_the_rest(@TempDir Path floodDir)
      throws Exception {
    int perSecond = 5;
    int requests = 200;
    try (TestFerry flooded =
        TestFerry.start(
            vertx,
            TestConfigs.of(floodDir).set("logging.failedAttemptsPerSecond", perSecond).build())) {
      log.clear();
      long started = System.nanoTime();
      for (int i = 0; i < requests; i++) {
        Case c =
            path("GET", i % 2 == 0 ? "/v2/queues/%zz" : "/v2/publish/%", i % 2 == 0 ? "%zz" : "%");
        assertEquals(400, send(flooded.port(), c, i % 3 == 0).status());
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      List<ILoggingEvent> logged = refusals();
      // a token bucket: the burst, plus what refilled while the flood lasted
      assertTrue(
          logged.size() >= perSecond && logged.size() <= perSecond * (1 + seconds) + 1,
          logged.size() + " lines in " + seconds + " s");

      // the flush (every second) accounts for every request that was not logged
      long[] total = {0};
      Polls.waitUpTo(
          Duration.ofSeconds(10),
          Duration.ofMillis(50),
          () -> {
            total[0] = refusals().size() + summarised();
            return total[0] >= requests;
          });
      assertEquals(requests, total[0]);
      assertEquals(List.of(), log.stackTracesAndErrors());
    }
  }

  private List<ILoggingEvent> refusals() {
    return log.from(RefusedRequestLog.class).stream()
        .filter(e -> e.getFormattedMessage().startsWith("refused a "))
        .toList();
  }

  private long summarised() {
    long n = 0;
    for (ILoggingEvent e : log.from(RefusedRequestLog.class)) {
      if (e.getKeyValuePairs() == null) continue;
      n +=
          e.getKeyValuePairs().stream()
              .filter(kv -> kv.key.equals("suppressed"))
              .mapToLong(kv -> ((Number) kv.value).longValue())
              .sum();
    }
    return n;
  }

  private RawHttp.Response send(int port, Case c, boolean withToken) throws Exception {
    List<String> headers = new ArrayList<>(List.of("Host: 127.0.0.1"));
    if (withToken) headers.add(AUTH);
    String body = c.body() == null ? "" : c.body();
    if (c.contentType() != null) headers.add("Content-Type: " + c.contentType());
    headers.add(
        "Content-Length: " + body.length()); // the body's characters are written as single bytes
    try (RawHttp connection = RawHttp.connect(vertx, port)) {
      return connection
          .write(
              head(c.method() + " " + c.target() + " HTTP/1.1", headers.toArray(String[]::new))
                  + body)
          .awaitResponse(10_000);
    }
  }

  private static void assertJsonError(RawHttp.Response r, int status, String fragment) {
    assertEquals(status, r.status(), r.body());
    assertTrue(
        r.headers().getOrDefault("content-type", "").startsWith("application/json"),
        r.headers().toString());
    String error = r.error();
    assertTrue(
        error != null && error.contains(fragment),
        "error \"" + error + "\" does not contain: " + fragment);
    assertFalse(error.contains("Exception"), error);
  }
}
