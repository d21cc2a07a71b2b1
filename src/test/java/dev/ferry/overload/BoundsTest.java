package dev.ferry.overload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.config.FerryConfig;
import dev.ferry.testing.Polls;
import dev.ferry.testing.Sink;
import dev.ferry.testing.TestConfigs;
import dev.ferry.testing.TestFerry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each in-memory bound of the {@code overload} section, through a running Ferry: it holds, and
 * nothing is lost.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BoundsTest {
  @TempDir Path dir;

  /** The overload bounds under test; no disk reserve, and a short Retry-After. */
  private FerryConfig config(int requests, long bytes, int due, int waiting) {
    return TestConfigs.of(dir)
        .set("overload.maxInFlightRequests", requests)
        .set("overload.maxInFlightRequestBytes", bytes)
        .set("overload.minFreeDiskBytes", 0)
        .set("overload.maxDueInMemory", due)
        .set("overload.maxFlowControlWaiting", waiting)
        .set("overload.retryAfter", "2s")
        .build();
  }

  @Test
  void requests_beyond_the_in_flight_cap_get_503_with_retry_after_until_one_ends(Vertx vertx)
      throws Exception {
    try (TestFerry ferry = TestFerry.start(vertx, config(1, 1_000_000, 1_000_000, 10_000))) {
      HttpClient client = vertx.createHttpClient();
      // GIVEN a publish whose body never ends: it holds the one slot
      HttpClientRequest slow =
          client
              .request(
                  HttpMethod.POST, ferry.port(), "127.0.0.1", "/v2/publish/http://127.0.0.1:9/x")
              .await(5, TimeUnit.SECONDS)
              .putHeader("Authorization", "Bearer " + TestFerry.TOKEN)
              .setChunked(true);
      slow.write("first part").await(5, TimeUnit.SECONDS);
      awaitInFlight(ferry, 1);

      // WHEN another request arrives THEN it is shed, counted, and said when to come back
      HttpResponse<Buffer> shed = ferry.send(HttpMethod.GET, "/v2/queues", Map.of(), null);
      assertEquals(503, shed.statusCode(), shed.bodyAsString());
      assertEquals("2", shed.getHeader("Retry-After"));
      assertTrue(
          shed.bodyAsJsonObject().getString("error").contains("too many requests"),
          shed.bodyAsString());
      assertEquals(200, ferry.get("/health/live").statusCode(), "operations routes are never shed");
      assertEquals(1.0, metric(ferry, "ferry_requests_shed_total\\{reason=\"too_many_requests\"}"));

      // WHEN the slow one ends THEN requests are served again
      HttpClientResponse first =
          slow.end(" and the end").compose(v -> slow.response()).await(5, TimeUnit.SECONDS);
      assertEquals(201, first.statusCode());
      awaitInFlight(ferry, 0);
      assertEquals(200, ferry.send(HttpMethod.GET, "/v2/queues", Map.of(), null).statusCode());
      client.close();
    }
  }

  @Test
  void bodies_beyond_the_byte_budget_are_shed_before_they_are_read(Vertx vertx) throws Exception {
    try (TestFerry ferry = TestFerry.start(vertx, config(100, 1_000, 1_000_000, 10_000))) {
      HttpClient client = vertx.createHttpClient();
      HttpClientRequest slow =
          client
              .request(
                  HttpMethod.POST, ferry.port(), "127.0.0.1", "/v2/publish/http://127.0.0.1:9/x")
              .await(5, TimeUnit.SECONDS)
              .putHeader("Authorization", "Bearer " + TestFerry.TOKEN)
              .putHeader("Content-Length", "900");
      slow.write("x".repeat(100)).await(5, TimeUnit.SECONDS);
      awaitInFlight(ferry, 1);

      HttpResponse<Buffer> shed = ferry.publish("http://127.0.0.1:9/y", Map.of(), "x".repeat(200));
      assertEquals(503, shed.statusCode(), shed.bodyAsString());
      assertEquals("2", shed.getHeader("Retry-After"));
      assertEquals(
          200,
          ferry.send(HttpMethod.GET, "/v2/queues", Map.of(), null).statusCode(),
          "a bodiless request fits");

      HttpClientResponse first =
          slow.end("x".repeat(800)).compose(v -> slow.response()).await(5, TimeUnit.SECONDS);
      assertEquals(201, first.statusCode());
      awaitInFlight(ferry, 0);
      assertEquals(
          201, ferry.publish("http://127.0.0.1:9/y", Map.of(), "x".repeat(200)).statusCode());
      client.close();
    }
  }

  @Test
  void the_scheduler_keeps_at_most_max_due_in_memory_and_reads_the_rest_back(Vertx vertx)
      throws Exception {
    Sink sink = Sink.startBlocking(vertx);
    try (TestFerry ferry = TestFerry.start(vertx, config(100, 1_000_000, 10, 10_000))) {
      Set<String> accepted = new HashSet<>();
      for (int b = 0; b < 3; b++) {
        JsonArray batch = new JsonArray();
        for (int i = 0; i < 20; i++) {
          batch.add(
              new JsonObject()
                  .put("destination", sink.url("/later"))
                  .put("body", "m" + b + "-" + i)
                  .put("headers", new JsonObject().put("Upstash-Delay", (1 + i % 3) + "s")));
        }
        HttpResponse<Buffer> r = ferry.send(HttpMethod.POST, "/v2/batch", Map.of(), batch.encode());
        assertEquals(200, r.statusCode(), r.bodyAsString());
        r.bodyAsJsonArray().forEach(e -> accepted.add(((JsonObject) e).getString("messageId")));
      }
      double[] most = {0};
      Polls.waitUpTo(
          Duration.ofSeconds(30),
          () -> {
            if (sink.received("/later").size() >= 60) return true;
            most[0] =
                Math.max(
                    most[0],
                    metric(ferry, "ferry_scheduler_due_in_memory")); // sampled while it runs
            return false;
          });
      assertTrue(most[0] > 0 && most[0] <= 10, "the scheduler held " + most[0] + " entries");
      Set<String> delivered = new HashSet<>();
      sink.received("/later").forEach(r -> delivered.add(r.header("Upstash-Message-Id")));
      assertEquals(accepted, delivered);
    } finally {
      sink.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void a_message_due_sooner_than_a_full_index_of_later_ones_is_not_held_behind_them(Vertx vertx)
      throws Exception {
    Sink sink = Sink.startBlocking(vertx);
    try (TestFerry ferry = TestFerry.start(vertx, config(100, 1_000_000, 10, 10_000))) {
      // GIVEN the scheduler's index full (10) of messages due in a minute, and more of them left to
      // the store
      JsonArray later = new JsonArray();
      for (int i = 0; i < 15; i++) {
        later.add(
            new JsonObject()
                .put("destination", sink.url("/later"))
                .put("body", "l" + i)
                .put("headers", new JsonObject().put("Upstash-Delay", "60s")));
      }
      HttpResponse<Buffer> r = ferry.send(HttpMethod.POST, "/v2/batch", Map.of(), later.encode());
      assertEquals(200, r.statusCode(), r.bodyAsString());

      // WHEN a message due in one second arrives
      long published = System.currentTimeMillis();
      assertEquals(
          201,
          ferry.publish(sink.url("/soon"), Map.of("Upstash-Delay", "1s"), "soon").statusCode());

      // THEN it is delivered on time, not once half of the later ones have fired
      Polls.waitUpTo(
          Duration.ofMillis(published + 20_000 - System.currentTimeMillis()),
          () -> !sink.received("/soon").isEmpty());
      assertEquals(
          1, sink.received("/soon").size(), "the message due in 1s was not delivered within 20s");
      long took = System.currentTimeMillis() - published;
      assertTrue(took >= 1000 && took < 5000, "delivered after " + took + " ms");
      assertTrue(metric(ferry, "ferry_scheduler_due_in_memory") <= 10, "the bound still holds");
    } finally {
      sink.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void a_flow_control_key_holds_at_most_max_waiting_in_memory_and_delivers_every_message(
      Vertx vertx) throws Exception {
    Sink sink = Sink.startBlocking(vertx);
    try (TestFerry ferry = TestFerry.start(vertx, config(100, 1_000_000, 1_000_000, 5))) {
      JsonArray batch = new JsonArray();
      for (int i = 0; i < 30; i++) {
        batch.add(
            new JsonObject()
                .put("destination", sink.url("/fc"))
                .put("body", "m" + i)
                .put(
                    "headers",
                    new JsonObject()
                        .put("Upstash-Flow-Control-Key", "slow")
                        .put("Upstash-Flow-Control-Value", "parallelism=2, rate=10, period=1s")));
      }
      HttpResponse<Buffer> r = ferry.send(HttpMethod.POST, "/v2/batch", Map.of(), batch.encode());
      assertEquals(200, r.statusCode(), r.bodyAsString());
      int[] most = {0};
      Polls.waitUpTo(
          Duration.ofSeconds(40),
          () -> {
            if (sink.received("/fc").size() >= 30) return true;
            JsonObject key =
                ferry
                    .send(HttpMethod.GET, "/v2/flowControl/slow", Map.of(), null)
                    .bodyAsJsonObject();
            most[0] = Math.max(most[0], key.getInteger("waitListSize")); // sampled while it runs
            return false;
          });
      assertTrue(most[0] > 0 && most[0] <= 5, "the key held " + most[0] + " waiting messages");
      List<Sink.Received> got = sink.received("/fc");
      Set<String> bodies = new HashSet<>();
      got.forEach(x -> bodies.add(x.body().toString()));
      assertEquals(30, bodies.size(), "every message delivered");
      assertEquals(30, got.size(), "each once");
    } finally {
      sink.close().await(5, TimeUnit.SECONDS);
    }
  }

  private static void awaitInFlight(TestFerry ferry, double n) throws Exception {
    Polls.waitUpTo(Duration.ofSeconds(5), () -> metric(ferry, "ferry_api_requests_in_flight") == n);
    assertEquals(n, metric(ferry, "ferry_api_requests_in_flight"));
  }

  /** One sample of the Prometheus text (0 when absent). */
  static double metric(TestFerry ferry, String nameAndLabels) throws Exception {
    String text = ferry.getManagement("/metrics").bodyAsString();
    Matcher m = Pattern.compile("(?m)^" + nameAndLabels + " ([0-9.eE+-]+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
