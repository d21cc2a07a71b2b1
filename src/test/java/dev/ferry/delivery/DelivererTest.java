package dev.ferry.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.model.AttemptResult;
import dev.ferry.model.Message;
import dev.ferry.testing.Jwt;
import dev.ferry.testing.Sink;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One attempt against a real local HTTP server: what is sent, how long it may take, what is kept of
 * the answer.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DelivererTest {
  @TempDir Path dir;
  private DeliveryFixture f;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    f = new DeliveryFixture(vertx, dir);
  }

  @AfterEach
  void tearDown() throws Exception {
    f.close();
  }

  @Test
  void
      sends_the_stored_method_headers_and_exact_body_plus_the_delivery_headers_and_a_valid_signature()
          throws Exception {
    byte[] body = new byte[256];
    for (int i = 0; i < body.length; i++) body[i] = (byte) i;
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Content-Type", List.of("application/octet-stream"));
    headers.put("X-Many", List.of("one", "two"));
    Message m =
        f.message(null, f.sink.url("/shape?x=1"), "PUT", headers, body, 3, 0)
            .retriedAt(f.clock.millis());

    AttemptResult result = f.attempt(m);

    assertTrue(result.delivered(), "status " + result.status() + ", error " + result.error());
    Sink.Received got = f.sink.await("/shape", 1, 5_000).get(0);
    assertEquals("PUT", got.method());
    assertEquals("/shape?x=1", got.uri());
    assertArrayEquals(body, got.body().getBytes(), "the body byte for byte");
    assertEquals("application/octet-stream", got.header("Content-Type"));
    assertEquals(List.of("one", "two"), got.headers().getAll("X-Many"));
    assertEquals("Upstash-QStash", got.header("User-Agent"));
    assertEquals(m.id(), got.header("Upstash-Message-Id"));
    assertEquals("1", got.header("Upstash-Retried"));
    Jwt.verify(got.header("Upstash-Signature"), DeliveryFixture.CURRENT_KEY, m.url(), body);
  }

  @Test
  void a_failed_response_is_kept_with_its_headers_and_at_most_the_configured_body_bytes()
      throws Exception {
    f.sink.on("/err", r -> new Sink.Reply(503, Map.of("X-Why", "down"), "x".repeat(1000), 0));
    AttemptResult result = f.attempt(f.message(null, "/err", "b", 0, 0));
    assertEquals(503, result.status());
    assertFalse(result.delivered());
    assertNull(result.error(), "an HTTP answer is not a fault");
    assertEquals(List.of("down"), result.headers().get("X-Why"));
    assertEquals(
        DeliveryFixture.CONFIG.maxResponseBodyBytes(), result.body().length, "cut at the cap");
    assertEquals(
        "x".repeat(DeliveryFixture.CONFIG.maxResponseBodyBytes()), new String(result.body()));
  }

  @Test
  void a_successful_response_is_drained_not_kept_when_no_callback_needs_it() throws Exception {
    f.sink.on("/ok", r -> new Sink.Reply(201, Map.of("X-Seen", "yes"), "a body nobody reads", 0));
    AttemptResult result = f.attempt(f.message(null, "/ok", "b", 0, 0));
    assertEquals(201, result.status());
    assertTrue(result.delivered());
    assertEquals(0, result.body().length);
    assertTrue(result.headers().isEmpty(), result.headers().toString());
  }

  @Test
  void the_message_timeout_is_a_total_deadline_and_ends_the_attempt_as_a_timeout()
      throws Exception {
    f.sink.on("/slow", r -> new Sink.Reply(200, Map.of(), "late", 3_000));
    long started = System.nanoTime();
    AttemptResult result = f.attempt(f.message(null, "/slow", "b", 0, 300));
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertEquals(0, result.status());
    assertEquals(AttemptFault.TIMEOUT, AttemptFault.of(result), result.error());
    assertTrue(result.error().contains("no complete response within 300ms"), result.error());
    assertTrue(
        tookMillis >= 250 && tookMillis < 2_000,
        "ended after " + tookMillis + "ms, not at the 3s answer");
  }

  @Test
  void nobody_listening_is_a_refused_attempt_not_an_exception() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Message m =
        f.message(
            null, "http://127.0.0.1:" + closedPort + "/x", "POST", Map.of(), new byte[0], 0, 0);
    AttemptResult result = f.attempt(m);
    assertEquals(0, result.status());
    assertEquals(AttemptFault.REFUSED, AttemptFault.of(result), result.error());
  }

  @Test
  void a_slow_destinations_backlog_waits_for_a_connection_instead_of_failing_unsent()
      throws Exception {
    // every answer takes 300 ms and every attempt may take 500: with three times as many attempts
    // as connections, the last third waits 600 ms for one; that wait is not the attempt's
    f.sink.on("/busy", r -> new Sink.Reply(200, Map.of(), "ok", 300));
    int connections = DeliveryFixture.CONFIG.maxConnectionsPerHost();
    List<AttemptResult> results = attemptAll(3 * connections, "/busy", 500);
    for (AttemptResult r : results) assertTrue(r.delivered(), r.status() + " " + r.error());
    assertEquals(3 * connections, f.sink.received("/busy").size(), "each attempt sent once");
    assertTrue(f.sink.maxConcurrent("/busy") <= connections, "at most one per connection");
  }

  @Test
  void a_destination_that_never_answers_fails_its_waiting_attempts_after_their_timeout()
      throws Exception {
    f.sink.on("/never", r -> new Sink.Reply(200, Map.of(), "late", 10_000));
    int connections = DeliveryFixture.CONFIG.maxConnectionsPerHost();
    long started = System.nanoTime();
    List<AttemptResult> results = attemptAll(3 * connections, "/never", 300);
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    for (AttemptResult r : results) {
      assertEquals(AttemptFault.TIMEOUT, AttemptFault.of(r), r.error());
    }
    long unsent = results.stream().filter(r -> r.error().contains("no connection within")).count();
    assertTrue(unsent >= connections, unsent + " attempts never got a connection");
    assertTrue(
        f.sink.received("/never").size() <= 2 * connections,
        "waiting attempts that gave up sent nothing");
    assertTrue(
        tookMillis < 3_000, "all ended after " + tookMillis + " ms, not one wave after another");
  }

  @Test
  void an_attempt_whose_message_is_cancelled_while_it_waits_for_a_connection_sends_nothing()
      throws Exception {
    f.sink.on("/busy", r -> new Sink.Reply(200, Map.of(), "ok", 300));
    int connections = DeliveryFixture.CONFIG.maxConnectionsPerHost();
    // every connection taken, then one whose message is cancelled while it waits, then one more
    List<AttemptResult> results =
        attemptAll(
            connections + 2,
            i ->
                i < connections
                    ? f.deliverer.attempt(f.message(null, "/busy", "b" + i, 0, 5_000))
                    : i == connections
                        ? f.deliverer.attempt(
                            f.message(null, "/busy", "cancelled", 0, 5_000), () -> true)
                        : f.deliverer.attempt(f.message(null, "/busy", "after", 0, 5_000)));
    assertEquals(Deliverer.CANCELLED_WHILE_WAITING, results.get(connections).error());
    assertTrue(results.get(connections + 1).delivered(), "the connection passed on");
    List<String> bodies =
        f.sink.await("/busy", connections + 1, 5_000).stream()
            .map(r -> r.body().toString())
            .toList();
    assertFalse(bodies.contains("cancelled"), bodies.toString());
  }

  /** {@code n} attempts to the sink's {@code path} at once, each allowed {@code timeout} ms. */
  private List<AttemptResult> attemptAll(int n, String path, long timeout) throws Exception {
    return attemptAll(n, i -> f.deliverer.attempt(f.message(null, path, "b" + i, 0, timeout)));
  }

  /**
   * Attempts {@code attempt(0)} to {@code attempt(n - 1)}, started together on the fixture's
   * context.
   */
  private List<AttemptResult> attemptAll(int n, IntFunction<Future<AttemptResult>> attempt)
      throws Exception {
    return f.call(
        () -> {
          List<Future<AttemptResult>> attempts = new ArrayList<>();
          for (int i = 0; i < n; i++) attempts.add(attempt.apply(i));
          return Future.all(attempts).map(CompositeFuture::<AttemptResult>list);
        });
  }
}
