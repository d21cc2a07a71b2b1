package dev.ferry.store;

import static dev.ferry.store.StoreFixtures.T0;
import static dev.ferry.store.StoreFixtures.await;
import static dev.ferry.store.StoreFixtures.message;
import static dev.ferry.store.StoreFixtures.queued;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.model.Message;
import dev.ferry.model.Schedule;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ScheduleStore} must have: CRUD, revisions, pause, and atomic,
 * exactly-once ticks.
 */
public abstract class ScheduleStoreContract extends StoresContract {

  /** A schedule with every field set, non-ASCII text and a binary body. */
  public static Schedule schedule(String tenant, String id) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Content-Type", List.of("application/json"));
    headers.put("X-Ünï", List.of("a", "b"));
    return new Schedule(
        tenant,
        id,
        "CRON_TZ=America/New_York 30 2 * * *",
        "https://example.com/ünï?x=1",
        "q",
        "PUT",
        headers,
        new byte[] {0, (byte) 0xFF, 'x'},
        5,
        "1000 * retried",
        30_000,
        60_000,
        List.of("l1", "l2"),
        "10.1.2.3",
        Map.of("upstash-callback", List.of("https://cb.example.com/")),
        T0,
        false,
        0,
        0,
        List.of());
  }

  @Test
  void put_get_list_and_revisions(Vertx vertx) {
    ScheduleStore store = open(vertx).schedules();
    Schedule b = await(store.put(schedule("acme", "b")));
    Schedule a = await(store.put(schedule("acme", "a")));
    await(store.put(schedule("globex", "a")));
    assertEquals(1, a.revision());
    assertSameSchedule(
        schedule("acme", "b").withRevision(1), await(store.get("acme", "b")).orElseThrow());
    assertEquals(
        List.of("a", "b"), await(store.list("acme")).stream().map(Schedule::scheduleId).toList());
    assertEquals(3, await(store.listAll()).size());
    assertEquals(Optional.empty(), await(store.get("acme", "c")));
    Schedule replaced = await(store.put(schedule("acme", "b")));
    assertEquals(b.revision() + 1, replaced.revision());
  }

  @Test
  void pause_resume_and_delete(Vertx vertx) {
    ScheduleStore store = open(vertx).schedules();
    Schedule s = await(store.put(schedule("acme", "s")));
    Schedule paused = await(store.setPaused("acme", "s", true)).orElseThrow();
    assertTrue(paused.paused());
    assertEquals(s.revision() + 1, paused.revision());
    assertTrue(await(store.get("acme", "s")).orElseThrow().paused());
    assertFalse(await(store.setPaused("acme", "s", false)).orElseThrow().paused());
    assertEquals(Optional.empty(), await(store.setPaused("acme", "nope", true)));
    assertEquals(Optional.empty(), await(store.setPaused("globex", "s", true)));
    assertTrue(await(store.delete("acme", "s")));
    assertFalse(await(store.delete("acme", "s")));
    assertEquals(Optional.empty(), await(store.get("acme", "s")));
  }

  @Test
  void everything_survives_a_restart(Vertx vertx) {
    Stores stores = open(vertx);
    await(stores.schedules().put(schedule("acme", "s")));
    Schedule paused = await(stores.schedules().setPaused("acme", "s", true)).orElseThrow();
    Schedule back = await(reopen(vertx, stores).schedules().get("acme", "s")).orElseThrow();
    assertSameSchedule(paused, back);
    assertTrue(back.paused());
  }

  @Test
  void a_tick_stores_its_messages_and_bookkeeping_together(Vertx vertx) {
    Stores stores = open(vertx);
    Schedule s = await(stores.schedules().put(schedule("acme", "s")));
    Message m1 = message("acme", T0);
    Message m2 = queued("acme", "q");
    Schedule ticked =
        await(stores.schedules().recordTick(s, T0 + 60_000, List.of(m1, m2))).orElseThrow();
    assertEquals(T0 + 60_000, ticked.lastScheduleTime());
    assertEquals(List.of(m1.id(), m2.id()), ticked.lastMessageIds());
    assertEquals(s.revision() + 1, ticked.revision());
    assertEquals(2, await(stores.messages().findAll(List.of(m1.id(), m2.id()))).size());
    assertEquals(1L, await(stores.messages().queueLength("acme", "q")));
    assertEquals(
        ticked.lastMessageIds(),
        await(reopen(vertx, stores).schedules().get("acme", "s")).orElseThrow().lastMessageIds());
  }

  @Test
  void a_tick_is_recorded_once(Vertx vertx) {
    Stores stores = open(vertx);
    Schedule s = await(stores.schedules().put(schedule("acme", "s")));
    Schedule ticked =
        await(stores.schedules().recordTick(s, T0, List.of(message("acme", T0)))).orElseThrow();
    Message again = message("acme", T0);
    // the same computation retried (stale revision), and the same tick time with the fresh revision
    assertEquals(Optional.empty(), await(stores.schedules().recordTick(s, T0, List.of(again))));
    assertEquals(
        Optional.empty(), await(stores.schedules().recordTick(ticked, T0, List.of(again))));
    assertEquals(List.of(), await(stores.messages().findAll(List.of(again.id()))));
  }

  @Test
  void a_tick_computed_before_a_replace_pause_or_delete_is_refused(Vertx vertx) {
    Stores stores = open(vertx);
    ScheduleStore store = stores.schedules();
    Schedule s = await(store.put(schedule("acme", "s")));
    await(store.put(schedule("acme", "s")));
    assertEquals(Optional.empty(), await(store.recordTick(s, T0, List.of(message("acme", T0)))));
    Schedule current = await(store.get("acme", "s")).orElseThrow();
    await(store.setPaused("acme", "s", true));
    assertEquals(
        Optional.empty(), await(store.recordTick(current, T0, List.of(message("acme", T0)))));
    Schedule pausedOne = await(store.get("acme", "s")).orElseThrow();
    await(store.delete("acme", "s"));
    Message orphan = message("acme", T0);
    assertEquals(Optional.empty(), await(store.recordTick(pausedOne, T0, List.of(orphan))));
    assertEquals(List.of(), await(stores.messages().findAll(List.of(orphan.id()))));
  }

  /** Field by field, the body byte by byte (records compare arrays by identity). */
  static void assertSameSchedule(Schedule expected, Schedule actual) {
    assertArrayEquals(expected.body(), actual.body());
    byte[] none = new byte[0];
    assertEquals(withBody(expected, none), withBody(actual, none));
  }

  private static Schedule withBody(Schedule s, byte[] body) {
    return new Schedule(
        s.tenant(),
        s.scheduleId(),
        s.cron(),
        s.destination(),
        s.queueName(),
        s.method(),
        s.headers(),
        body,
        s.maxRetries(),
        s.retryDelayExpression(),
        s.timeoutMillis(),
        s.delayMillis(),
        s.labels(),
        s.callerIp(),
        s.pendingConfig(),
        s.createdAt(),
        s.paused(),
        s.revision(),
        s.lastScheduleTime(),
        s.lastMessageIds());
  }
}
