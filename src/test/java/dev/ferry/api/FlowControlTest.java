package dev.ferry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.GatewayTest;
import dev.ferry.testing.Polls;
import dev.ferry.testing.Sink;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Flow-control keys: parallelism and rate never exceeded under a burst, nothing rejected; the
 * management API.
 */
class FlowControlTest extends GatewayTest {

  private JsonArray batch(String url, int n, String key, String value) {
    JsonArray entries = new JsonArray();
    for (int i = 0; i < n; i++) {
      entries.add(
          new JsonObject()
              .put("destination", url)
              .put("body", "m" + i)
              .put(
                  "headers",
                  new JsonObject()
                      .put("Upstash-Flow-Control-Key", key)
                      .put("Upstash-Flow-Control-Value", value)));
    }
    return entries;
  }

  @Test
  void a_burst_never_exceeds_the_keys_parallelism_or_rate() throws Exception {
    int n = 45;
    int rate = 10;
    long period = 1000;
    sink.on("/limited", r -> new Sink.Reply(200, Map.of(), "", 120));
    HttpResponse<Buffer> r =
        ferry.send(
            HttpMethod.POST,
            "/v2/batch",
            Map.of("Content-Type", "application/json"),
            batch(sink.url("/limited"), n, "burst", "parallelism=3, rate=" + rate + ", period=1s")
                .encode());
    assertEquals(200, r.statusCode());

    List<Sink.Received> got = sink.await("/limited", n, 30_000);
    assertTrue(
        sink.maxConcurrent("/limited") <= 3, "max in flight " + sink.maxConcurrent("/limited"));
    assertEquals(3, sink.maxConcurrent("/limited"), "the burst uses the parallelism it is given");
    List<Long> starts =
        new ArrayList<>(got.stream().map(Sink.Received::atMillis).sorted().toList());
    // Windows are fixed (each begins with a start, no earlier than the previous one's end), so any
    // stretch shorter
    // than k periods overlaps at most k + 1 windows: at most (k + 1)·rate starts. The sink sees
    // starts a variable
    // delivery latency late (a first connection, a loaded machine), hence the 200 ms margin.
    for (int k = 1; k < 4; k++) {
      for (int i = 0; i < n; i++) {
        long from = starts.get(i);
        long until = from + k * period - 200;
        long count = starts.stream().filter(t -> t >= from && t < until).count();
        assertTrue(
            count <= (long) (k + 1) * rate, count + " starts within " + (k * period - 200) + "ms");
      }
    }
    long needed = ((n + rate - 1) / rate - 1) * period; // 45 starts at 10 a window need 5 windows
    assertTrue(
        starts.get(n - 1) - starts.get(0) >= needed - 200,
        "all started within " + (starts.get(n - 1) - starts.get(0)) + "ms");
    Thread.sleep(200);
    assertEquals(n, sink.received("/limited").size(), "each message exactly once");
  }

  @Test
  void parallelism_alone_limits_in_flight_attempts_under_load() throws Exception {
    sink.on("/par", r -> new Sink.Reply(200, Map.of(), "", 50));
    HttpResponse<Buffer> r =
        ferry.send(
            HttpMethod.POST,
            "/v2/batch",
            Map.of("Content-Type", "application/json"),
            batch(sink.url("/par"), 100, "par", "parallelism=4").encode());
    assertEquals(200, r.statusCode());
    sink.await("/par", 100, 20_000);
    assertEquals(4, sink.maxConcurrent("/par"));
  }

  @Test
  void a_paused_key_keeps_its_waitlist_and_resume_delivers_it() throws Exception {
    assertEquals(
        200, ferry.send(HttpMethod.POST, "/v2/flowControl/held/pause", Map.of(), "").statusCode());
    for (int i = 0; i < 3; i++) {
      HttpResponse<Buffer> r =
          ferry.publish(
              sink.url("/held"),
              Map.of(
                  "Upstash-Flow-Control-Key",
                  "held",
                  "Upstash-Flow-Control-Value",
                  "parallelism=1,rate=5,period=1m"),
              "h" + i);
      assertEquals(201, r.statusCode(), r.bodyAsString());
    }
    Thread.sleep(400);
    assertEquals(0, sink.received("/held").size());
    JsonObject key =
        ferry.send(HttpMethod.GET, "/v2/flowControl/held", Map.of(), null).bodyAsJsonObject();
    assertEquals("held", key.getString("flowControlKey"));
    assertEquals(3, key.getInteger("waitListSize"));
    assertTrue(key.getBoolean("isPaused"));
    assertEquals(1, key.getInteger("parallelismMax"));
    assertEquals(5, key.getInteger("rateMax"));
    assertEquals(60, key.getInteger("ratePeriod"));
    assertFalse(key.getBoolean("isPinnedParallelism"));

    assertEquals(
        200, ferry.send(HttpMethod.POST, "/v2/flowControl/held/resume", Map.of(), "").statusCode());
    List<Sink.Received> got = sink.await("/held", 3, 10_000);
    assertEquals(
        List.of("h0", "h1", "h2"),
        got.stream().map(x -> x.body().toString()).toList(),
        "FIFO per key");
    JsonObject after =
        ferry.send(HttpMethod.GET, "/v2/flowControl/held", Map.of(), null).bodyAsJsonObject();
    assertEquals(0, after.getInteger("waitListSize"));
    assertEquals(3, after.getInteger("rateCount"));
    assertTrue(after.getLong("ratePeriodStart") > 0);
  }

  @Test
  void pause_and_pins_and_the_waitlist_survive_a_restart() throws Exception {
    assertEquals(
        200,
        ferry.send(HttpMethod.POST, "/v2/flowControl/durable/pause", Map.of(), "").statusCode());
    assertEquals(
        200,
        ferry
            .send(HttpMethod.POST, "/v2/flowControl/durable/pin?rate=4&period=20", Map.of(), "")
            .statusCode());
    for (int i = 0; i < 2; i++) {
      assertEquals(
          201,
          ferry
              .publish(
                  sink.url("/durable"),
                  Map.of(
                      "Upstash-Flow-Control-Key",
                      "durable",
                      "Upstash-Flow-Control-Value",
                      "parallelism=1, rate=50"),
                  "d" + i)
              .statusCode());
    }
    ferry = ferry.restart();
    AtomicReference<JsonObject> read = new AtomicReference<>();
    Polls.waitUpTo(
        Duration.ofSeconds(10),
        () -> {
          read.set(
              ferry
                  .send(HttpMethod.GET, "/v2/flowControl/durable", Map.of(), null)
                  .bodyAsJsonObject());
          return read.get().getInteger("waitListSize") >= 2;
        });
    JsonObject key = read.get();
    assertEquals(2, key.getInteger("waitListSize"), key.encode());
    assertTrue(key.getBoolean("isPaused"));
    assertTrue(key.getBoolean("isPinnedRate"));
    assertEquals(4, key.getInteger("rateMax"), "the pin wins over the messages' rate=50");
    assertEquals(20, key.getInteger("ratePeriod"));
    assertEquals(0, sink.received("/durable").size());

    assertEquals(
        200,
        ferry.send(HttpMethod.POST, "/v2/flowControl/durable/resume", Map.of(), "").statusCode());
    sink.await("/durable", 2, 10_000);
    ferry = ferry.restart();
    Thread.sleep(300);
    assertEquals(2, sink.received("/durable").size(), "delivered once, not again after a restart");
    JsonObject after =
        ferry.send(HttpMethod.GET, "/v2/flowControl/durable", Map.of(), null).bodyAsJsonObject();
    assertFalse(after.getBoolean("isPaused"));
    assertTrue(after.getBoolean("isPinnedRate"));
  }

  @Test
  void pin_unpin_reset_rate_list_and_global_parallelism() throws Exception {
    assertEquals(
        200,
        ferry
            .send(
                HttpMethod.POST,
                "/v2/flowControl/pinned/pin?parallelism=2&rate=7&period=30",
                Map.of(),
                "")
            .statusCode());
    ferry.publish(
        sink.url("/p"),
        Map.of(
            "Upstash-Flow-Control-Key",
            "pinned",
            "Upstash-Flow-Control-Value",
            "parallelism=9, rate=99"),
        "x");
    sink.await("/p", 1, 5_000);
    JsonObject k =
        ferry.send(HttpMethod.GET, "/v2/flowControl/pinned", Map.of(), null).bodyAsJsonObject();
    assertEquals(2, k.getInteger("parallelismMax"), "pinned values win over the message's");
    assertEquals(7, k.getInteger("rateMax"));
    assertEquals(30, k.getInteger("ratePeriod"));
    assertTrue(k.getBoolean("isPinnedParallelism"));
    assertTrue(k.getBoolean("isPinnedRate"));

    assertEquals(
        200,
        ferry
            .send(HttpMethod.POST, "/v2/flowControl/pinned/unpin?parallelism=true", Map.of(), "")
            .statusCode());
    k = ferry.send(HttpMethod.GET, "/v2/flowControl/pinned", Map.of(), null).bodyAsJsonObject();
    assertFalse(k.getBoolean("isPinnedParallelism"));
    assertTrue(k.getBoolean("isPinnedRate"));
    assertEquals(
        2, k.getInteger("parallelismMax"), "unpinned values stay until a message brings others");

    assertEquals(
        200,
        ferry.send(HttpMethod.POST, "/v2/flowControl/pinned/resetRate", Map.of(), "").statusCode());
    assertEquals(
        0,
        ferry
            .send(HttpMethod.GET, "/v2/flowControl/pinned", Map.of(), null)
            .bodyAsJsonObject()
            .getInteger("rateCount"));

    ferry.publish(
        sink.url("/o"),
        Map.of("Upstash-Flow-Control-Key", "other", "Upstash-Flow-Control-Value", "rate=3"),
        "y");
    sink.await("/o", 1, 5_000);
    JsonArray all = ferry.send(HttpMethod.GET, "/v2/flowControl", Map.of(), null).bodyAsJsonArray();
    assertEquals(
        List.of("other", "pinned"),
        all.stream().map(o -> ((JsonObject) o).getString("flowControlKey")).toList());
    JsonArray found =
        ferry.send(HttpMethod.GET, "/v2/flowControl?search=pin", Map.of(), null).bodyAsJsonArray();
    assertEquals(1, found.size());

    assertEquals(
        404, ferry.send(HttpMethod.GET, "/v2/flowControl/nope", Map.of(), null).statusCode());
    assertEquals(
        400, ferry.send(HttpMethod.POST, "/v2/flowControl/pinned/pin", Map.of(), "").statusCode());
    assertEquals(
        new JsonObject(),
        ferry.send(HttpMethod.GET, "/v2/globalParallelism", Map.of(), null).bodyAsJsonObject());
  }

  @Test
  void bad_flow_control_headers_are_refused() throws Exception {
    for (Map<String, String> h :
        List.of(
            Map.of("Upstash-Flow-Control-Value", "parallelism=1"),
            Map.of("Upstash-Flow-Control-Key", "k"),
            Map.of("Upstash-Flow-Control-Key", "k", "Upstash-Flow-Control-Value", "period=10s"),
            Map.of("Upstash-Flow-Control-Key", "k", "Upstash-Flow-Control-Value", "parallelism=0"),
            Map.of(
                "Upstash-Flow-Control-Key", "k", "Upstash-Flow-Control-Value", "rate=1, period=8d"),
            Map.of("Upstash-Flow-Control-Key", "k", "Upstash-Flow-Control-Value", "speed=1"))) {
      HttpResponse<Buffer> r = ferry.publish(sink.url("/x"), h, "x");
      assertEquals(400, r.statusCode(), h + " → " + r.bodyAsString());
    }
    HttpResponse<Buffer> r =
        ferry.send(
            HttpMethod.POST,
            "/v2/enqueue/q1/" + sink.url("/x"),
            Map.of("Upstash-Flow-Control-Key", "k", "Upstash-Flow-Control-Value", "rate=1"),
            "x");
    assertEquals(400, r.statusCode(), r.bodyAsString());
  }
}
