package dev.ferry.store.redis;

import static dev.ferry.store.StoreFixtures.T0;
import static dev.ferry.store.StoreFixtures.await;
import static dev.ferry.store.StoreFixtures.message;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.config.FerryConfig;
import dev.ferry.config.RedisConfig;
import dev.ferry.model.LogEntry;
import dev.ferry.model.LogRecord;
import dev.ferry.model.Message;
import dev.ferry.model.MessageState;
import dev.ferry.store.LogStore;
import dev.ferry.store.StoreBackend;
import dev.ferry.store.StoreBackends;
import dev.ferry.store.StoreMetrics;
import dev.ferry.testing.Polls;
import dev.ferry.testing.TestClock;
import dev.ferry.testing.TestConfigs;
import dev.ferry.testing.TestFerry;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Redis log beyond its contract: several replicas writing one tenant's log (every entry gets a
 * position of its own, and positions keep growing even when the replicas' clocks disagree, so
 * cursors stay correct), and paging across more rows than one read fetches and across a row of
 * CREATED entries larger than one join.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisLogTest {
  @TempDir Path dataDir;
  private final RedisConfig config = SharedRedis.freshConfig();
  private final List<StoreBackend> opened = new ArrayList<>();

  private LogStore replica(Vertx vertx, Clock clock) {
    FerryConfig ferry =
        TestConfigs.withStorage(
            TestFerry.config(dataDir),
            new FerryConfig.Storage(StoreBackends.REDIS, dataDir, config));
    StoreBackend backend = await(StoreBackends.open(vertx, ferry, StoreMetrics.NONE, clock));
    opened.add(backend);
    return backend.logs();
  }

  @AfterEach
  void close() {
    opened.forEach(b -> await(b.close()));
  }

  @Test
  void entries_of_two_replicas_get_distinct_positions_and_each_shows_once(Vertx vertx) {
    TestClock clock = new TestClock(Instant.ofEpochMilli(T0));
    LogStore one = replica(vertx, clock);
    LogStore other = replica(vertx, clock);
    for (int i = 0; i < 100; i++) {
      (i % 2 == 0 ? one : other).record(LogRecord.of(message("acme", T0), MessageState.CREATED));
    }
    List<LogEntry> all = awaitEntries(one, 100);
    assertEquals(100, new HashSet<>(all.stream().map(LogEntry::position).toList()).size());
    assertEquals(100, new HashSet<>(all.stream().map(LogEntry::messageId).toList()).size());
  }

  @Test
  void a_replica_whose_clock_is_behind_still_records_after_the_last_entry(Vertx vertx) {
    LogStore ahead = replica(vertx, new TestClock(Instant.ofEpochMilli(T0 + 60_000)));
    LogStore behind = replica(vertx, new TestClock(Instant.ofEpochMilli(T0)));
    ahead.record(LogRecord.of(message("acme", T0), MessageState.CREATED));
    LogEntry first = awaitEntries(ahead, 1).get(0);
    LogRecord late = LogRecord.of(message("acme", T0), MessageState.CREATED);
    behind.record(late);

    List<LogEntry> newestFirst = awaitEntries(behind, 2);
    assertEquals(late.messageId(), newestFirst.get(0).messageId());
    assertEquals(
        List.of(late.messageId()),
        await(
                behind.query(
                    "acme",
                    new LogStore.Query(
                        false, first.position(), 0, Long.MAX_VALUE, 10, e -> true, 100)))
            .entries()
            .stream()
            .map(LogEntry::messageId)
            .toList(),
        "a cursor handed out before the late entry reaches it");
  }

  @Test
  void pages_cover_many_rows_and_a_large_created_row_exactly_once_in_both_orders(Vertx vertx) {
    LogStore logs = replica(vertx, new TestClock(Instant.ofEpochMilli(T0)));
    List<String> recorded = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      LogRecord r = LogRecord.of(message("acme", T0), MessageState.ACTIVE);
      logs.record(r);
      recorded.add(r.messageId());
    }
    List<Message> batch = new ArrayList<>();
    for (int i = 0; i < 700; i++) batch.add(message("acme", T0));
    logs.created(batch);
    batch.forEach(m -> recorded.add(m.id()));
    awaitEntries(logs, 1000);

    assertEquals(recorded, pageAll(logs, false, 90));
    List<String> newestFirst = new ArrayList<>(recorded);
    Collections.reverse(newestFirst);
    assertEquals(newestFirst, pageAll(logs, true, 90));
  }

  private static List<String> pageAll(LogStore logs, boolean latestFirst, int size) {
    List<String> all = new ArrayList<>();
    long cursor = -1;
    do {
      LogStore.Page page =
          await(
              logs.query(
                  "acme",
                  new LogStore.Query(
                      latestFirst, cursor, 0, Long.MAX_VALUE, size, e -> true, 1000)));
      page.entries().forEach(e -> all.add(e.messageId()));
      cursor = page.next();
    } while (cursor != -1);
    return all;
  }

  private static List<LogEntry> awaitEntries(LogStore logs, int n) {
    List<List<LogEntry>> got = new ArrayList<>(List.of(List.of()));
    Polls.waitUpTo(
        Duration.ofSeconds(5),
        Duration.ofMillis(10),
        () -> {
          got.set(
              0,
              await(
                      logs.query(
                          "acme",
                          new LogStore.Query(true, -1, 0, Long.MAX_VALUE, 5000, e -> true, 5000)))
                  .entries());
          return got.get(0).size() == n;
        });
    assertEquals(n, got.get(0).size());
    return got.get(0);
  }
}
