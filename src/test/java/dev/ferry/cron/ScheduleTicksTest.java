package dev.ferry.cron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.GatewayTest;
import dev.ferry.testing.Polls;
import dev.ferry.testing.Schedules;
import dev.ferry.testing.Sink;
import dev.ferry.testing.TestClock;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Schedules ticking on a {@link TestClock}: each tick produces exactly one message (one per group
 * endpoint), never early, with Upstash-Schedule-Id; pause; restarts between ticks (missed ticks:
 * one catch-up); DST in New York.
 */
class ScheduleTicksTest extends GatewayTest {
  static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  /**
   * Starts 10 s before the first minute tick: the delivery scheduler's in-memory horizon (30 s in
   * TestFerry) is computed from the start time, so a delayed message of that tick is due inside it.
   */
  private final TestClock clock = new TestClock(T0.plusSeconds(50));

  @Override
  protected Clock clock() {
    return clock;
  }

  @Test
  void a_tick_produces_one_message_never_early_with_the_schedule_id() throws Exception {
    String id =
        create(
            sink.url("/tick"),
            Map.of(
                "Upstash-Cron",
                "* * * * *",
                "Content-Type",
                "text/plain",
                "Upstash-Forward-X-Job",
                "report"),
            "run");
    clock.jumpTo(T0.plusSeconds(59).plusMillis(500));
    List<Sink.Received> got = sink.await("/tick", 1, 5_000);
    Sink.Received r = got.get(0);
    assertTrue(
        clock.at(r.atMillis()) >= T0.plusSeconds(60).toEpochMilli(),
        "delivered at " + Instant.ofEpochMilli(clock.at(r.atMillis())) + ", before its tick");
    assertEquals(id, r.header("Upstash-Schedule-Id"));
    assertEquals("127.0.0.1", r.header("Upstash-Caller-Ip"));
    assertEquals("report", r.header("X-Job"));
    assertEquals("text/plain", r.header("Content-Type"));
    assertEquals("run", r.body().toString());

    JsonObject s = get(id);
    assertEquals(T0.plusSeconds(60).toEpochMilli(), s.getLong("lastScheduleTime"));
    assertEquals(T0.plusSeconds(120).toEpochMilli(), s.getLong("nextScheduleTime"));
    String messageId = r.header("Upstash-Message-Id");
    assertEquals(Set.of(messageId), s.getJsonObject("lastScheduleStates").fieldNames());
    awaitState(id, messageId, "SUCCESS");

    clock.jumpTo(T0.plusSeconds(119).plusMillis(500));
    List<Sink.Received> two = sink.await("/tick", 2, 5_000);
    assertTrue(clock.at(two.get(1).atMillis()) >= T0.plusSeconds(120).toEpochMilli());
    Thread.sleep(700);
    assertEquals(2, sink.received("/tick").size(), "exactly one message per tick");
    assertEquals(
        2,
        new HashSet<>(
                sink.received("/tick").stream().map(x -> x.header("Upstash-Message-Id")).toList())
            .size());
  }

  @Test
  void a_tick_message_carries_the_schedule_callback() throws Exception {
    String id =
        create(
            sink.url("/tick"),
            Map.of(
                "Upstash-Cron",
                "* * * * *",
                "Upstash-Callback",
                sink.url("/tick-cb"),
                "Upstash-Callback-Forward-X-Cb",
                "yes",
                "Upstash-Flow-Control-Key",
                "nightly",
                "Upstash-Flow-Control-Value",
                "parallelism=1"),
            "run");
    clock.jumpTo(T0.plusSeconds(59).plusMillis(500));
    Sink.Received r = sink.await("/tick", 1, 5_000).get(0);
    Sink.Received cb = sink.await("/tick-cb", 1, 5_000).get(0);
    assertEquals("yes", cb.header("X-Cb"));
    JsonObject body = cb.body().toJsonObject();
    assertEquals(r.header("Upstash-Message-Id"), body.getString("sourceMessageId"));
    assertEquals(id, body.getString("scheduleId"));
  }

  @Test
  void a_url_group_tick_produces_one_message_per_endpoint() throws Exception {
    ferry.send(
        HttpMethod.POST,
        "/v2/topics/team/endpoints",
        Map.of(),
        new JsonObject()
            .put(
                "endpoints",
                new io.vertx.core.json.JsonArray()
                    .add(new JsonObject().put("url", sink.url("/e1")))
                    .add(new JsonObject().put("url", sink.url("/e2"))))
            .encode());
    String id = create("team", Map.of("Upstash-Cron", "* * * * *"), "fan");
    clock.jumpTo(T0.plusSeconds(59).plusMillis(700));
    for (String path : List.of("/e1", "/e2")) {
      Sink.Received r = sink.await(path, 1, 5_000).get(0);
      assertEquals(id, r.header("Upstash-Schedule-Id"));
      assertEquals("team", r.header("Upstash-Topic-Name"));
    }
    assertEquals(2, get(id).getJsonObject("lastScheduleStates").size());
  }

  @Test
  void a_delay_applies_to_each_produced_message() throws Exception {
    create(sink.url("/late"), Map.of("Upstash-Cron", "* * * * *", "Upstash-Delay", "2s"), "");
    clock.jumpTo(T0.plusSeconds(59).plusMillis(800));
    Sink.Received r = sink.await("/late", 1, 8_000).get(0);
    assertTrue(
        clock.at(r.atMillis()) >= T0.plusSeconds(62).toEpochMilli(),
        "delivered at " + Instant.ofEpochMilli(clock.at(r.atMillis())));
  }

  @Test
  void a_paused_schedule_produces_nothing_and_stays_paused_after_a_restart() throws Exception {
    String id = create(sink.url("/paused"), Map.of("Upstash-Cron", "* * * * *"), "");
    assertEquals(
        200,
        ferry
            .send(HttpMethod.PATCH, "/v2/schedules/" + id + "/pause", Map.of(), null)
            .statusCode());
    clock.jumpTo(T0.plusSeconds(59).plusMillis(500));
    Thread.sleep(1500);
    assertEquals(0, sink.received("/paused").size());

    ferry.restart();
    assertTrue(get(id).getBoolean("isPaused"), "paused survives a restart");
    clock.jumpTo(T0.plusSeconds(119).plusMillis(500));
    Thread.sleep(1500);
    assertEquals(0, sink.received("/paused").size(), "no tick and no catch-up while paused");

    ferry.send(HttpMethod.POST, "/v2/schedules/" + id + "/resume", Map.of(), null);
    clock.jumpTo(T0.plusSeconds(179).plusMillis(500));
    sink.await("/paused", 1, 5_000);
    Thread.sleep(500);
    assertEquals(
        1,
        sink.received("/paused").size(),
        "resumed with the next tick, no catch-up for the pause");
  }

  /** Decision: ticks missed while Ferry was down collapse into one catch-up message at start-up. */
  @Test
  void ticks_missed_while_down_fire_once_at_start_and_the_last_tick_is_not_repeated()
      throws Exception {
    String id = create(sink.url("/r"), Map.of("Upstash-Cron", "* * * * *"), "");
    clock.jumpTo(T0.plusSeconds(59).plusMillis(500));
    sink.await("/r", 1, 5_000);

    ferry.stop();
    clock.jumpTo(T0.plusSeconds(60 * 3 + 30)); // 00:02 and 00:03 pass while down
    ferry.startAgain();
    List<Sink.Received> got = sink.await("/r", 2, 5_000);
    Thread.sleep(700);
    assertEquals(2, sink.received("/r").size(), "one catch-up for two missed ticks");
    assertEquals(id, got.get(1).header("Upstash-Schedule-Id"));
    assertEquals(T0.plusSeconds(180).toEpochMilli(), get(id).getLong("lastScheduleTime"));

    ferry.restart(); // nothing missed this time: nothing extra
    Thread.sleep(1000);
    assertEquals(2, sink.received("/r").size());
    clock.jumpTo(T0.plusSeconds(239).plusMillis(500));
    sink.await("/r", 3, 5_000);
  }

  /** The wall clock stepping back past a recorded tick does not fire it again. */
  @Test
  void a_clock_stepping_back_does_not_repeat_a_tick() throws Exception {
    String id = create(sink.url("/back"), Map.of("Upstash-Cron", "* * * * *"), "");
    clock.jumpTo(T0.plusSeconds(59).plusMillis(500));
    sink.await("/back", 1, 5_000);
    clock.jumpTo(
        T0.plusSeconds(59).plusMillis(500)); // back to just before the tick it already fired
    Thread.sleep(1500);
    assertEquals(1, sink.received("/back").size());
    assertEquals(T0.plusSeconds(120).toEpochMilli(), get(id).getLong("nextScheduleTime"));
    ferry.restart(); // nor after a restart on the stepped-back clock
    Thread.sleep(1000);
    assertEquals(1, sink.received("/back").size());
  }

  @Test
  void a_schedule_created_while_running_does_not_catch_up_ticks_before_its_creation()
      throws Exception {
    clock.jumpTo(T0.plusSeconds(30));
    String id = create(sink.url("/fresh"), Map.of("Upstash-Cron", "* * * * *"), "");
    ferry.restart();
    Thread.sleep(1000);
    assertEquals(0, sink.received("/fresh").size());
    assertEquals(T0.plusSeconds(60).toEpochMilli(), get(id).getLong("nextScheduleTime"));
  }

  /** 2026-11-01, New York: 01:30 EDT (05:30Z) then 01:30 EST (06:30Z). A daily 01:30 fires once. */
  @Test
  void fall_back_in_new_york_fires_the_repeated_time_once() throws Exception {
    clock.jumpTo(Instant.parse("2026-11-01T05:29:00Z"));
    String id =
        create(sink.url("/dst"), Map.of("Upstash-Cron", "CRON_TZ=America/New_York 30 1 * * *"), "");
    assertEquals(
        Instant.parse("2026-11-01T05:30:00Z").toEpochMilli(), get(id).getLong("nextScheduleTime"));
    clock.jumpTo(Instant.parse("2026-11-01T05:29:59.500Z"));
    sink.await("/dst", 1, 5_000);
    assertEquals(
        Instant.parse("2026-11-02T06:30:00Z").toEpochMilli(), get(id).getLong("nextScheduleTime"));
    clock.jumpTo(Instant.parse("2026-11-01T06:29:59.500Z"));
    Thread.sleep(1500);
    assertEquals(1, sink.received("/dst").size(), "the second 01:30 (EST) does not fire");
  }

  /** 2026-03-08, New York: 02:30 does not exist; a daily 02:30 skips that day. */
  @Test
  void spring_forward_in_new_york_skips_the_missing_time() throws Exception {
    clock.jumpTo(Instant.parse("2026-03-08T06:00:00Z")); // 01:00 EST
    String id =
        create(sink.url("/dst"), Map.of("Upstash-Cron", "CRON_TZ=America/New_York 30 2 * * *"), "");
    assertEquals(
        Instant.parse("2026-03-09T06:30:00Z").toEpochMilli(), get(id).getLong("nextScheduleTime"));
    clock.jumpTo(Instant.parse("2026-03-08T07:29:59.500Z")); // 03:29:59 EDT
    Thread.sleep(1500);
    assertFalse(sink.received().stream().anyMatch(r -> r.uri().equals("/dst")));
  }

  private void awaitState(String id, String messageId, String state) {
    Polls.within(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertEquals(
                    state,
                    get(id).getJsonObject("lastScheduleStates").getString(messageId),
                    "state of " + messageId));
  }

  private String create(String destination, Map<String, String> headers, String body)
      throws Exception {
    return Schedules.create(ferry, destination, headers, body);
  }

  private JsonObject get(String id) throws Exception {
    return Schedules.get(ferry, id);
  }
}
