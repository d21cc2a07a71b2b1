package dev.ferry.cron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.GatewayTest;
import dev.ferry.testing.Polls;
import dev.ferry.testing.Schedules;
import dev.ferry.testing.Sink;
import dev.ferry.testing.TestClock;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A schedule with both {@code Upstash-Queue-Name} and {@code Upstash-Delay}: each tick's message
 * becomes due at tick + delay and only then joins the queue — it holds no slot while it waits,
 * never starts early, and queues behind the messages enqueued before it became due (FIFO by when
 * each message joined the queue).
 */
class QueuedScheduleTicksTest extends GatewayTest {
  static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  static final long TICK = T0.plusSeconds(60).toEpochMilli();
  private final TestClock clock = new TestClock(T0.plusSeconds(50));

  @Override
  protected Clock clock() {
    return clock;
  }

  @Test
  void the_delayed_tick_message_waits_outside_the_queue_and_never_starts_early() throws Exception {
    queue("q");
    String id =
        create(
            sink.url("/tick"),
            Map.of("Upstash-Cron", "* * * * *", "Upstash-Queue-Name", "q", "Upstash-Delay", "3s"),
            "tick");
    JsonObject s = get(id);
    assertEquals("q", s.getString("queueName"));
    assertEquals(3, s.getInteger("delay"));

    fireFirstTick(id);
    enqueue("q", "/now");
    Sink.Received now = sink.await("/now", 1, 5_000).get(0);
    assertTrue(
        clock.at(now.atMillis()) < TICK + 3_000,
        "a message enqueued during the delay waited for the tick's: "
            + "delivered at tick + "
            + (clock.at(now.atMillis()) - TICK)
            + " ms");

    Sink.Received tick = sink.await("/tick", 1, 8_000).get(0);
    assertTrue(
        clock.at(tick.atMillis()) >= TICK + 3_000,
        "started early, at tick + " + (clock.at(tick.atMillis()) - TICK) + " ms");
    assertEquals(id, tick.header("Upstash-Schedule-Id"));
  }

  @Test
  void the_delayed_tick_message_queues_behind_what_was_enqueued_before_it_became_due()
      throws Exception {
    queue("fifo");
    // holds the queue's one slot past the delay, and under the 5 s attempt timeout
    sink.on("/slow", r -> new Sink.Reply(200, Map.of(), "", 4_000));
    String id =
        create(
            sink.url("/order"),
            Map.of(
                "Upstash-Cron", "* * * * *", "Upstash-Queue-Name", "fifo", "Upstash-Delay", "3s"),
            "tick");
    fireFirstTick(id);
    enqueue("fifo", "/slow");
    enqueue("fifo", "/order?from=enqueue");
    // the delay leaves room for both enqueues even on a loaded machine; the order below is only
    // meaningful if so
    long enqueued = clock.at(System.currentTimeMillis());
    assertTrue(
        enqueued < TICK + 3_000, "the enqueues took until tick + " + (enqueued - TICK) + " ms");
    List<Sink.Received> order = sink.await("/order", 2, 15_000);
    assertEquals(
        List.of("/order?from=enqueue", "/order"),
        order.stream().map(Sink.Received::uri).toList(),
        "the tick's message became due after the enqueued one joined the queue");
    assertTrue(clock.at(order.get(1).atMillis()) >= TICK + 3_000);
  }

  @Test
  void the_waiting_message_survives_a_restart_and_is_delivered_when_due() throws Exception {
    queue("kept");
    String id =
        create(
            sink.url("/kept"),
            Map.of(
                "Upstash-Cron", "* * * * *", "Upstash-Queue-Name", "kept", "Upstash-Delay", "3s"),
            "tick");
    fireFirstTick(id);
    ferry.restart();
    Sink.Received r = sink.await("/kept", 1, 8_000).get(0);
    assertTrue(
        clock.at(r.atMillis()) >= TICK + 3_000,
        "at tick + " + (clock.at(r.atMillis()) - TICK) + " ms");
    assertEquals(1, sink.received("/kept").size());
  }

  @Test
  void enqueue_still_refuses_a_delay_and_a_bad_schedule_delay_is_400() throws Exception {
    HttpResponse<Buffer> r =
        ferry.send(
            HttpMethod.POST,
            "/v2/enqueue/q/" + sink.url("/x"),
            Map.of("Upstash-Delay", "10s"),
            "x");
    assertEquals(400, r.statusCode(), r.bodyAsString());
    HttpResponse<Buffer> bad =
        ferry.send(
            HttpMethod.POST,
            "/v2/schedules/" + sink.url("/x"),
            Map.of("Upstash-Cron", "* * * * *", "Upstash-Queue-Name", "q", "Upstash-Delay", "soon"),
            "");
    assertEquals(400, bad.statusCode(), bad.bodyAsString());
    assertTrue(
        bad.bodyAsJsonObject().getString("error").contains("Upstash-Delay"), bad.bodyAsString());
  }

  /** Moves the clock to just before the first tick and waits until the tick's message is stored. */
  private void fireFirstTick(String id) throws Exception {
    clock.jumpTo(T0.plusSeconds(59).plusMillis(800));
    Polls.within(Duration.ofSeconds(5))
        .alias("the tick firing")
        .until(() -> get(id).containsKey("lastScheduleTime"));
    assertEquals(TICK, get(id).getLong("lastScheduleTime"));
  }

  private void queue(String name) throws Exception {
    HttpResponse<Buffer> r =
        ferry.send(
            HttpMethod.POST,
            "/v2/queues",
            Map.of("Content-Type", "application/json"),
            new JsonObject().put("queueName", name).put("parallelism", 1).encode());
    assertEquals(200, r.statusCode(), r.bodyAsString());
  }

  private void enqueue(String queue, String path) throws Exception {
    HttpResponse<Buffer> r =
        ferry.send(HttpMethod.POST, "/v2/enqueue/" + queue + "/" + sink.url(path), Map.of(), "");
    assertEquals(201, r.statusCode(), r.bodyAsString());
  }

  private String create(String destination, Map<String, String> headers, String body)
      throws Exception {
    return Schedules.create(ferry, destination, headers, body);
  }

  private JsonObject get(String id) throws Exception {
    return Schedules.get(ferry, id);
  }
}
