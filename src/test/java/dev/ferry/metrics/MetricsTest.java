package dev.ferry.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.config.FerryConfig;
import dev.ferry.delivery.DeliveryEvents.Outcome;
import dev.ferry.model.AttemptResult;
import dev.ferry.model.Message;
import dev.ferry.testing.MessageBuilder;
import dev.ferry.testing.Polls;
import dev.ferry.testing.Sink;
import dev.ferry.testing.TestConfigs;
import dev.ferry.testing.TestFerry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} on the management port after real traffic: a Ferry on a Vert.x instance built by
 * {@link FerryMetrics#newVertx} (as Main builds it) publishes to a sink, and the scrape shows the
 * counters, histograms and gauges move with the right tags, and holds no token, signing key or
 * destination query.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetricsTest {
  private static final String SECRET_QUERY = "api_key=s3cr3t-in-query";

  @TempDir Path dir;
  private Vertx vertx;
  private TestFerry ferry;

  @AfterEach
  void stop() throws Exception {
    if (ferry != null) ferry.close();
    if (vertx != null) vertx.close().await(10, TimeUnit.SECONDS);
  }

  private Sink start(FerryConfig config) throws Exception {
    FerryMetrics metrics = FerryMetrics.create(config.metrics(), Clock.systemUTC());
    vertx = metrics.newVertx(new VertxOptions());
    Sink sink = Sink.startBlocking(vertx);
    ferry = TestFerry.start(vertx, config, metrics);
    return sink;
  }

  @Test
  void counters_histograms_and_gauges_move_as_messages_flow() throws Exception {
    Sink sink = start(TestFerry.config(dir));
    sink.on("/fail", r -> Sink.Reply.status(500));

    for (int i = 0; i < 3; i++) {
      assertEquals(
          201, ferry.publish(sink.url("/ok?" + SECRET_QUERY), Map.of(), "m" + i).statusCode());
    }
    // the token in the query string as well: it must not reach a label
    assertEquals(
        201,
        ferry
            .publish(
                sink.url("/fail?" + SECRET_QUERY) + "&qstash_token=" + TestFerry.TOKEN,
                Map.of("Upstash-Retries", "1", "Upstash-Retry-Delay", "0"),
                "bad")
            .statusCode());
    assertEquals(
        200,
        ferry
            .send(
                HttpMethod.POST,
                "/v2/queues",
                Map.of("Content-Type", "application/json"),
                "{\"queueName\":\"orders\",\"paused\":true}")
            .statusCode());
    for (int i = 0; i < 2; i++) {
      assertEquals(
          201,
          ferry
              .send(HttpMethod.POST, "/v2/enqueue/orders/" + sink.url("/ok"), Map.of(), "q" + i)
              .statusCode());
    }

    // A scrape is not a snapshot: it may read the in-flight gauge just before the last attempt ends
    // and the outcome
    // counters just after, so the gauge is awaited along with them (it must still come back to 0).
    Scrape s =
        awaitScrape(
            x ->
                x.sum("ferry_messages_delivered_total", "tenant", "a", "queue", "") == 3
                    && x.sum("ferry_messages_failed_total", "tenant", "a", "queue", "") == 1
                    && x.sum("ferry_delivery_in_flight") == 0);

    assertEquals(4, s.sum("ferry_messages_published_total", "tenant", "a", "queue", ""));
    assertEquals(2, s.sum("ferry_messages_published_total", "tenant", "a", "queue", "orders"));
    assertEquals(1, s.sum("ferry_messages_retried_total", "tenant", "a", "queue", ""));
    assertEquals(
        2,
        s.sum("ferry_queue_lag", "tenant", "a", "queue", "orders"),
        "paused queue keeps its messages");
    assertEquals(1, s.sum("ferry_dlq_size", "tenant", "a"));
    assertEquals(0, s.sum("ferry_dlq_size", "tenant", "b"));
    assertEquals(3, s.sum("ferry_delivery_attempts_total", "host", "127.0.0.1", "result", "2xx"));
    assertEquals(2, s.sum("ferry_delivery_attempts_total", "host", "127.0.0.1", "result", "5xx"));
    assertEquals(3, s.sum("ferry_delivery_attempt_duration_seconds_count", "result", "2xx"));
    assertEquals(
        3, s.sum("ferry_delivery_attempt_duration_seconds_bucket", "result", "2xx", "le", "+Inf"));
    assertEquals(3, s.sum("ferry_delivery_latency_seconds_count"));
    assertEquals(0, s.sum("ferry_delivery_in_flight"));
    assertTrue(s.sum("ferry_store_commit_duration_seconds_count", "synced", "true") >= 1);
    assertTrue(
        s.sum("ferry_store_commit_size_operations_sum") >= 7,
        "every stored message went through a commit");
    assertTrue(s.has("ferry_scheduler_due_in_memory"));
    assertTrue(s.has("ferry_store_pending_writes"), "the embedded writer's queue is measured");
    // the API server's meters, labelled by route family, never by path
    assertEquals(
        6,
        s.sum(
                "ferry_http_server_requests_seconds_count",
                "route",
                "/v2/publish",
                "method",
                "POST",
                "code",
                "201")
            + s.sum(
                "ferry_http_server_requests_seconds_count",
                "route",
                "/v2/enqueue",
                "method",
                "POST",
                "code",
                "201"));
    assertTrue(s.has("ferry_http_server_requests_seconds_bucket"));
    assertTrue(
        s.sum("ferry_http_server_connections") >= 1,
        "the test client's keep-alive connection is open");
    assertFalse(s.has("vertx_http_server_requests_total"), "Vert.x's per-request meters are off");
    assertTrue(s.has("jvm_memory_used_bytes"));

    for (String secret :
        List.of(
            TestFerry.TOKEN,
            TestFerry.OTHER_TOKEN,
            TestFerry.CURRENT_KEY,
            TestFerry.NEXT_KEY,
            "s3cr3t",
            "qstash_token",
            "/ok",
            "/fail",
            "/v2/enqueue/orders/http")) {
      assertFalse(s.text.contains(secret), "the scrape shows " + secret);
    }
  }

  @Test
  void pending_messages_are_a_gauge_per_tenant_that_follows_publish_and_cancel() throws Exception {
    Sink sink = start(TestFerry.config(dir));
    assertTrue(
        awaitScrape(x -> x.text.contains("ferry_messages_pending{")).sum("ferry_messages_pending")
            == 0,
        "a configured tenant has the gauge from the start, at 0");
    String first = null;
    for (int i = 0; i < 2; i++) {
      HttpResponse<Buffer> r =
          ferry.publish(sink.url("/later"), Map.of("Upstash-Delay", "1h"), "held " + i);
      assertEquals(201, r.statusCode(), r.bodyAsString());
      if (first == null) first = r.bodyAsJsonObject().getString("messageId");
    }
    awaitScrape(x -> x.sum("ferry_messages_pending") == 2);
    assertEquals(
        200, ferry.send(HttpMethod.DELETE, "/v2/messages/" + first, Map.of(), null).statusCode());
    awaitScrape(x -> x.sum("ferry_messages_pending") == 1);
  }

  @Test
  void an_outcome_refused_after_a_takeover_is_counted_as_dropped_not_as_failed() {
    FerryMetrics metrics = FerryMetrics.create(TestFerry.config(dir).metrics(), Clock.systemUTC());
    Message m =
        MessageBuilder.message("msg_1", "tenant-a", "http://example.com/").queueName("q1").build();
    metrics.attemptEnded(
        m, new AttemptResult(200, Map.of(), new byte[0], null, 0), 0, Outcome.DROPPED, -1);
    String text = metrics.scrape().orElseThrow();
    assertTrue(
        text.contains(
            "ferry_delivery_outcomes_dropped_total{queue=\"q1\",tenant=\"tenant-a\"} 1.0"),
        text);
    assertFalse(
        text.contains("ferry_messages_failed_total{queue=\"q1\",tenant=\"tenant-a\"} 1.0"), text);
  }

  @Test
  void metrics_need_no_token() throws Exception {
    start(TestFerry.config(dir));
    HttpResponse<Buffer> r = ferry.getManagement("/metrics");
    assertEquals(200, r.statusCode());
    assertTrue(r.getHeader("Content-Type").startsWith("text/plain"), r.getHeader("Content-Type"));
    assertEquals(
        401,
        ferry
            .send(HttpMethod.GET, "/v2/queues", Map.of("Authorization", "Bearer wrong"), null)
            .statusCode());
  }

  @Test
  void disabled_metrics_are_not_served_and_publishing_still_works() throws Exception {
    Sink sink = start(TestConfigs.of(dir).set("metrics.enabled", false).build());
    assertEquals(-1, ferry.managementPort(), "no management listener");
    assertEquals(404, ferry.get("/metrics").statusCode());
    assertEquals(200, ferry.get("/health/ready").statusCode(), "health stays on the API port");
    assertEquals(201, ferry.publish(sink.url("/ok"), Map.of(), "x").statusCode());
    sink.await("/ok", 1, 10_000);
  }

  @Test
  void destination_hosts_beyond_the_cap_share_one_label() throws Exception {
    Sink sink = start(TestConfigs.of(dir).set("metrics.maxDestinationHosts", 1).build());
    assertEquals(201, ferry.publish(sink.url("/ok"), Map.of(), "x").statusCode());
    // the first host seen takes the one label: let 127.0.0.1 be seen before localhost is published
    awaitScrape(x -> x.sum("ferry_delivery_attempts_total", "host", "127.0.0.1") == 1);
    assertEquals(
        201, ferry.publish("http://localhost:" + sink.port() + "/ok", Map.of(), "y").statusCode());

    Scrape s = awaitScrape(x -> x.sum("ferry_messages_delivered_total") == 2);
    assertEquals(1, s.sum("ferry_delivery_attempts_total", "host", "127.0.0.1"));
    assertEquals(1, s.sum("ferry_delivery_attempts_total", "host", "other"));
  }

  private interface Check {
    boolean ok(Scrape s);
  }

  private Scrape awaitScrape(Check check) throws Exception {
    AtomicReference<Scrape> last = new AtomicReference<>();
    try {
      return Polls.within(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                HttpResponse<Buffer> r = ferry.getManagement("/metrics");
                assertEquals(200, r.statusCode());
                last.set(new Scrape(r.bodyAsString()));
                return last.get();
              },
              check::ok);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("metrics never reached the expected values:\n" + last.get().text);
    }
  }

  /** A parsed Prometheus text exposition. */
  static final class Scrape {
    final String text;

    Scrape(String text) {
      this.text = text;
    }

    boolean has(String name) {
      return text.lines().anyMatch(l -> l.startsWith(name + "{") || l.startsWith(name + " "));
    }

    /**
     * The sum of the samples of {@code name} whose labels include every given (label, value) pair.
     */
    double sum(String name, String... labels) {
      double sum = 0;
      for (String line : text.lines().toList()) {
        if (line.startsWith("#")) continue;
        int space = line.lastIndexOf(' ');
        String series = line.substring(0, space);
        int brace = series.indexOf('{');
        String metric = brace < 0 ? series : series.substring(0, brace);
        if (!metric.equals(name)) continue;
        Map<String, String> got =
            labels(brace < 0 ? "" : series.substring(brace + 1, series.length() - 1));
        boolean match = true;
        for (int i = 0; i < labels.length; i += 2) {
          match &= labels[i + 1].equals(got.get(labels[i]));
        }
        if (match) sum += Double.parseDouble(line.substring(space + 1));
      }
      return sum;
    }

    private static Map<String, String> labels(String text) {
      Map<String, String> labels = new HashMap<>();
      int i = 0;
      while (i < text.length()) {
        int eq = text.indexOf('=', i);
        int end = text.indexOf('"', eq + 2);
        labels.put(text.substring(i, eq), text.substring(eq + 2, end));
        i = end + 2; // past the quote and the comma
      }
      return labels;
    }
  }
}
