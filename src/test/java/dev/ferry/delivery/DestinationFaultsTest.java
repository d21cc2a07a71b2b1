package dev.ferry.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.BadDestinations;
import dev.ferry.testing.FaultyDns;
import dev.ferry.testing.Messages;
import dev.ferry.testing.Polls;
import dev.ferry.testing.Sink;
import dev.ferry.testing.TestFerry;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.dns.AddressResolverOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Destinations that misbehave in one way each, on raw sockets. Every fault must end the attempt
 * (never hang it), be retried per policy, and be recorded distinctly: the first word of the error
 * text in the message log and the DLQ entry, and the {@code result} label of {@code
 * ferry_delivery_attempts_total}. Ferry runs on a Vert.x whose resolver asks a DNS server of its
 * own, so DNS faults do not depend on the machine's network. What each fault must come to:
 * docs/architecture.md#destination-faults.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DestinationFaultsTest {
  /** Two attempts, back to back, then the DLQ: "retried per policy" is visible in every test. */
  private static final Map<String, String> TWO_ATTEMPTS =
      Map.of("Upstash-Retries", "1", "Upstash-Retry-Delay", "0");

  @TempDir Path dir;
  private FaultyDns dns;
  private Vertx vertx;
  private BadDestinations bad;
  private TestFerry ferry;

  @BeforeEach
  void start() throws Exception {
    dns = new FaultyDns();
    // one query per lookup, no search domains: an unanswered lookup times out after 4 s (long
    // enough for a healthy delivery to overtake it on a loaded machine)
    vertx =
        Vertx.vertx(
            new VertxOptions()
                .setAddressResolverOptions(
                    new AddressResolverOptions()
                        .addServer(dns.address())
                        .setQueryTimeout(4000)
                        .setMaxQueries(1)
                        .setNdots(1)
                        .setSearchDomains(List.of())
                        .setRotateServers(false)));
    bad = new BadDestinations(vertx);
    ferry = TestFerry.start(vertx, TestFerry.config(dir));
  }

  @AfterEach
  void stop() throws Exception {
    ferry.close();
    vertx.close().await(10, TimeUnit.SECONDS);
    dns.close();
  }

  @Test
  void a_destination_that_never_answers_is_aborted_at_its_timeout_and_retried() throws Exception {
    BadDestinations.Server silent = bad.silent();
    String id = publish(silent.url("/never"), withTwoAttempts("Upstash-Timeout", "1s"));
    JsonObject dlq = awaitDlq(id);
    assertFault(dlq, "timeout: no complete response within 1000ms");
    for (BadDestinations.Connection c : silent.awaitClosed(2, 10_000)) {
      // an attempt must end within its timeout + 1 s (docs/architecture.md#destination-faults); the
      // bound leaves
      // another second for a loaded machine's scheduling. (The deadline runs from the attempt's
      // start, before the
      // connection, so the connection sees a little less than 1000 ms.)
      System.out.println(
          "never-answering destination: connection held "
              + c.openMillis()
              + " ms (timeout 1000 ms)");
      assertTrue(
          c.openMillis() >= 500 && c.openMillis() <= 3000,
          "attempt held the connection " + c.openMillis() + "ms");
    }
    assertLogged(id, "timeout: no complete response within 1000ms");
    awaitAttempts("timeout", 2);
  }

  @Test
  void a_trickling_response_is_cut_off_by_the_whole_response_deadline_not_a_per_read_timeout()
      throws Exception {
    BadDestinations.Server trickle = bad.trickling(1000); // 1 byte a second: every read is "recent"
    String id = publish(trickle.url("/slowloris"), withTwoAttempts("Upstash-Timeout", "2s"));
    JsonObject dlq = awaitDlq(id);
    assertFault(dlq, "timeout: no complete response within 2000ms");
    for (BadDestinations.Connection c : trickle.awaitClosed(2, 10_000)) {
      System.out.println(
          "trickling destination: connection held " + c.openMillis() + " ms (timeout 2000 ms)");
      assertTrue(c.openMillis() <= 4000, "a trickle held an attempt for " + c.openMillis() + "ms");
      assertTrue(c.written.get() >= 1, "the destination did send bytes");
    }
    awaitAttempts("timeout", 2);
  }

  @Test
  void an_endless_body_is_captured_up_to_the_cap_and_the_attempt_still_recorded() throws Exception {
    BadDestinations.Server failing = bad.endless(500);
    BadDestinations.Server succeeding = bad.endless(200);
    String failed =
        publish(failing.url("/endless"), Map.of("Upstash-Retries", "0", "Upstash-Timeout", "30s"));
    String delivered =
        publish(
            succeeding.url("/endless"), Map.of("Upstash-Retries", "0", "Upstash-Timeout", "30s"));

    JsonObject dlq = awaitDlq(failed);
    assertEquals(500, dlq.getInteger("responseStatus"));
    int cap = TestFerry.config(dir).delivery().maxResponseBodyBytes();
    assertEquals(
        "x".repeat(cap),
        dlq.getString("responseBody"),
        "exactly the first maxResponseBodyBytes are kept");
    assertNull(dlq.getString("error"));
    awaitState(
        delivered,
        "DELIVERED"); // a 2xx with an endless body is a delivery, cut short at the cap as well
    for (BadDestinations.Server s : List.of(failing, succeeding)) {
      BadDestinations.Connection c = s.awaitClosed(1, 10_000).get(0);
      // Ferry stopped reading at once: what the destination managed to write is bounded by socket
      // buffers, not
      // by the 30 s timeout (at loopback speed that would be gigabytes)
      assertTrue(
          c.written.get() < 64L * 1024 * 1024, "destination wrote " + c.written.get() + " bytes");
      assertTrue(c.openMillis() < 10_000, "attempt lasted " + c.openMillis() + "ms");
    }
    awaitAttempts("5xx", 1);
    awaitAttempts("2xx", 1);
  }

  @Test
  void connection_refused_is_recorded_as_refused() throws Exception {
    int port = BadDestinations.refusedPort();
    String id = publish("http://127.0.0.1:" + port + "/closed", TWO_ATTEMPTS);
    JsonObject dlq = awaitDlq(id);
    assertFault(dlq, "refused: ");
    assertLogged(id, "refused: ");
    awaitAttempts("refused", 2);
  }

  @Test
  void a_connection_closed_before_or_reset_during_the_response_is_recorded_as_reset()
      throws Exception {
    BadDestinations.Server closes = bad.closesBeforeResponse();
    BadDestinations.Server resets = bad.resetsMidBody();
    String before = publish(closes.url("/close"), TWO_ATTEMPTS);
    String midBody = publish(resets.url("/reset"), TWO_ATTEMPTS);
    assertFault(
        awaitDlq(before), "reset: connection closed by the destination before a complete response");
    // the status line said 200, but the body was cut off: not a delivery
    JsonObject cut = awaitDlq(midBody);
    assertFault(cut, "reset: ");
    assertTrue(
        cut.getString("error").contains("HTTP 200 and 3 body bytes"), cut.getString("error"));
    awaitAttempts("reset", 4);
    awaitAttempts("2xx", 0);
  }

  @Test
  void an_unknown_host_is_recorded_as_a_dns_failure() throws Exception {
    String id = publish("http://nx-host.invalid/hook", TWO_ATTEMPTS);
    JsonObject dlq = awaitDlq(id);
    assertFault(dlq, "dns: cannot resolve host: ");
    assertTrue(dns.asked().contains("nx-host.invalid"), "asked " + dns.asked());
    assertLogged(id, "dns: cannot resolve host: ");
    awaitAttempts("dns", 2);
  }

  @Test
  void a_dns_lookup_that_times_out_is_recorded_as_such_and_does_not_hold_up_other_deliveries()
      throws Exception {
    Sink sink = Sink.startBlocking(vertx);
    // the attempt's deadline is longer than the lookup's, so the lookup's own timeout is what ends
    // it
    String slow =
        publish(
            "http://no-answer.invalid/hook",
            Map.of("Upstash-Retries", "0", "Upstash-Timeout", "30s"));
    awaitAsked("no-answer.invalid");
    // while that lookup hangs, deliveries to others go on (the resolver is asynchronous: no event
    // loop waits on it)
    String healthy = publish(sink.url("/ok"), Map.of());
    List<Sink.Received> got = sink.await("/ok", 1, 10_000);
    assertEquals(healthy, got.get(0).header("Upstash-Message-Id"));
    JsonObject dlq = awaitDlq(slow);
    assertFault(dlq, "dns: lookup timed out: ");
    JsonObject failure = awaitState(slow, "FAILED");
    assertTrue(
        got.get(0).atMillis() < failure.getLong("time"),
        "the healthy delivery waited for the hanging lookup");
    awaitAttempts("dns", 1);
  }

  @Test
  void tls_to_a_plain_tcp_server_and_to_a_self_signed_certificate_are_recorded_as_tls_failures()
      throws Exception {
    BadDestinations.Server plain = bad.plainTcp();
    BadDestinations.Server selfSigned = bad.selfSignedTls();
    String notTls = publish(plain.url("https", "/hook"), TWO_ATTEMPTS);
    String untrusted = publish(selfSigned.url("https", "/hook"), TWO_ATTEMPTS);
    assertFault(awaitDlq(notTls), "tls: handshake failed: ");
    JsonObject cert = awaitDlq(untrusted);
    assertFault(cert, "tls: certificate rejected: ");
    assertLogged(untrusted, "tls: certificate rejected: ");
    awaitAttempts("tls", 4);
  }

  // ---------------------------------------------------------------------------------------------------------------

  private static Map<String, String> withTwoAttempts(String name, String value) {
    Map<String, String> headers = new java.util.HashMap<>(TWO_ATTEMPTS);
    headers.put(name, value);
    return headers;
  }

  private String publish(String url, Map<String, String> headers) throws Exception {
    return Messages.publish(ferry, url, headers, "payload");
  }

  /** A fault has no response: status 0, and an error text that starts with the fault's label. */
  private static void assertFault(JsonObject dlq, String errorPrefix) {
    System.out.println(
        "DLQ entry of " + dlq.getString("messageId") + ": error = " + dlq.getString("error"));
    assertEquals(0, dlq.getInteger("responseStatus"), dlq.encode());
    assertTrue(
        dlq.getString("error", "").startsWith(errorPrefix),
        "expected error starting with \""
            + errorPrefix
            + "\", got \""
            + dlq.getString("error")
            + "\"");
    assertFalse(dlq.containsKey("responseBody"));
  }

  private JsonObject awaitDlq(String messageId) throws Exception {
    AtomicReference<JsonObject> found = new AtomicReference<>();
    Polls.within(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              for (Object o : get("/v2/dlq").getJsonArray("messages")) {
                if (messageId.equals(((JsonObject) o).getString("messageId")))
                  found.set((JsonObject) o);
              }
              assertNotNull(
                  found.get(),
                  messageId
                      + " never reached the DLQ; its log: "
                      + Messages.events(ferry, messageId));
            });
    return found.get();
  }

  /**
   * Waits for the message's log entry in {@code state} (the log trails transitions by
   * milliseconds).
   */
  private JsonObject awaitState(String messageId, String state) {
    return Messages.entry(
        Messages.awaitState(ferry, messageId, state, Duration.ofSeconds(30)), state);
  }

  /** Every failed attempt's log entries (ERROR, then RETRY or FAILED) carry the fault's text. */
  private void assertLogged(String messageId, String errorPrefix) throws Exception {
    awaitState(messageId, "FAILED");
    List<String> errors = new ArrayList<>();
    for (Object o : get("/v2/logs?messageIds=" + messageId).getJsonArray("logs")) {
      JsonObject e = (JsonObject) o;
      if ("ERROR".equals(e.getString("state"))) errors.add(e.getString("error"));
    }
    assertEquals(2, errors.size(), "one ERROR entry per attempt: " + errors);
    errors.forEach(
        e ->
            assertTrue(e != null && e.startsWith(errorPrefix), "log error " + e + " in " + errors));
  }

  private void awaitAsked(String name) {
    Polls.within(Duration.ofSeconds(10))
        .untilAsserted(() -> assertTrue(dns.asked().contains(name), "asked " + dns.asked()));
  }

  private JsonObject get(String uri) throws Exception {
    return Messages.get(ferry, uri);
  }

  /**
   * Waits until {@code ferry_delivery_attempts_total{result=...}} (all hosts) reaches {@code n},
   * then checks it is exactly {@code n}: the meters are counted just after the outcome is stored,
   * so they may trail the DLQ entry.
   */
  private void awaitAttempts(String result, int n) {
    Polls.waitUpTo(Duration.ofSeconds(10), () -> attempts(result) >= n);
    assertEquals(n, attempts(result), "attempts with result=" + result);
  }

  private double attempts(String result) {
    return ferry
        .ferry()
        .metrics()
        .registry()
        .find("ferry.delivery.attempts")
        .tag("result", result)
        .counters()
        .stream()
        .mapToDouble(Counter::count)
        .sum();
  }
}
