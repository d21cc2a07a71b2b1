package dev.ferry.store;

import static dev.ferry.store.StoreFixtures.T0;
import static dev.ferry.store.StoreFixtures.await;
import static dev.ferry.store.StoreFixtures.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.model.AttemptResult;
import dev.ferry.model.LogEntry;
import dev.ferry.model.LogRecord;
import dev.ferry.model.Message;
import dev.ferry.model.MessageState;
import dev.ferry.testing.MessageBuilder;
import dev.ferry.testing.Polls;
import dev.ferry.testing.TestClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The behaviour every {@link LogStore} must have, as the logs endpoints, retention, delivery and
 * ingest rely on it. Recording is asynchronous (a log writer may linger before it writes), so reads
 * poll until the entries show.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class LogStoreContract {
  private static final Predicate<LogEntry> ALL = e -> true;
  private static final long POLL_MILLIS = 5000;

  /** The log's clock: tests move it to put entries on distinct, known times. */
  protected final TestClock clock = new TestClock(Instant.ofEpochMilli(T0));

  private final List<StoreBackend> opened = new ArrayList<>();

  /**
   * Opens the backend under test with its message log enabled, timing entries with {@code clock}.
   * Its storage is empty at the start of each test; opening again after the previous one was closed
   * must reopen the same storage.
   */
  protected abstract Future<StoreBackend> newBackend(Vertx vertx, Clock clock);

  private StoreBackend open(Vertx vertx) {
    StoreBackend backend = await(newBackend(vertx, clock));
    opened.add(backend);
    // messages built from now on get ids the backend can place (Redis: their partition)
    StoreFixtures.placeIdsWith(backend.stores().messageIds());
    return backend;
  }

  @AfterEach
  void close_every_opened_backend() {
    StoreFixtures.placeIdsWith(MessageIds.AS_MINTED);
    for (StoreBackend backend : opened) {
      await(backend.close()); // closing twice must be harmless
    }
  }

  @Test
  void a_tenants_transitions_come_back_in_recording_order_newest_or_oldest_first(Vertx vertx) {
    StoreBackend backend = open(vertx);
    LogStore logs = backend.logs();
    Message m = message("acme", T0);
    await(backend.stores().messages().append(List.of(m)));
    logs.created(List.of(m));
    logs.record(LogRecord.of(m, MessageState.ACTIVE));
    await(
        backend.stores().messages().markDelivered(m, new AttemptResult(200, null, null, null, T0)));
    logs.recordAll(List.of(LogRecord.of(m, MessageState.DELIVERED)));

    List<LogEntry> newest = awaitEntries(logs, "acme", 3);
    assertEquals(
        List.of(MessageState.DELIVERED, MessageState.ACTIVE, MessageState.CREATED), states(newest));
    assertEquals(
        List.of(MessageState.CREATED, MessageState.ACTIVE, MessageState.DELIVERED),
        states(page(logs, "acme", false, -1, 10).entries()));
    for (int i = 0; i < newest.size(); i++) {
      LogEntry e = newest.get(i);
      assertEquals(m.id(), e.messageId());
      // the message's fields, whether it is still pending or finished by now
      assertNotNull(e.message(), "entry " + i + " without its message");
      assertEquals(m.url(), e.message().url());
      if (i > 0)
        assertTrue(
            e.position() < newest.get(i - 1).position(), "positions grow with recording order");
      assertTrue(
          e.time() >= T0 && e.time() <= clock.millis(),
          "entry time from the log's clock: " + e.time());
    }
  }

  @Test
  void cursors_page_through_every_entry_exactly_once_in_both_orders(Vertx vertx) {
    LogStore logs = open(vertx).logs();
    List<String> recorded = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      Message m = message("acme", T0);
      logs.record(LogRecord.of(m, MessageState.CREATED));
      recorded.add(m.id());
    }
    awaitEntries(logs, "acme", 7);
    assertEquals(recorded, pageAll(logs, "acme", false, 3));
    List<String> newestFirst = new ArrayList<>(recorded);
    java.util.Collections.reverse(newestFirst);
    assertEquals(newestFirst, pageAll(logs, "acme", true, 3));
    assertEquals(List.of(), page(logs, "acme", true, -1, 0).entries());
  }

  @Test
  void oldest_first_paging_reaches_entries_recorded_after_the_cursor_was_handed_out(Vertx vertx) {
    LogStore logs = open(vertx).logs();
    Message a = message("acme", T0);
    Message b = message("acme", T0);
    logs.record(LogRecord.of(a, MessageState.CREATED));
    logs.record(LogRecord.of(b, MessageState.CREATED));
    awaitEntries(logs, "acme", 2);
    LogStore.Page first = page(logs, "acme", false, -1, 2);
    assertEquals(List.of(a.id(), b.id()), ids(first.entries()));

    logs.record(LogRecord.of(a, MessageState.ACTIVE));
    awaitEntries(logs, "acme", 3);
    long after = first.next() >= 0 ? first.next() : first.entries().get(1).position();
    assertEquals(List.of(a.id()), ids(page(logs, "acme", false, after, 10).entries()));
  }

  @Test
  void created_rows_of_a_batch_and_of_single_publishes_read_back_one_created_entry_each(
      Vertx vertx) {
    StoreBackend backend = open(vertx);
    LogStore logs = backend.logs();
    List<Message> batch = new ArrayList<>();
    for (int i = 0; i < 4; i++) batch.add(message("acme", "orders", T0));
    List<Message> singles = List.of(message("acme", T0), message("acme", T0));
    Message other = message("globex", T0);
    List<Message> all = new ArrayList<>(batch);
    all.addAll(singles);
    all.add(other);
    await(backend.stores().messages().append(all));
    logs.created(batch);
    logs.created(List.of(singles.get(0)));
    logs.created(List.of(other)); // another tenant's publish in between
    logs.created(List.of(singles.get(1)));

    List<String> expected = new ArrayList<>(messageIds(batch));
    expected.addAll(List.of(singles.get(0).id(), singles.get(1).id()));
    awaitEntries(logs, "acme", expected.size());
    List<LogEntry> oldestFirst = page(logs, "acme", false, -1, 100).entries();
    assertEquals(expected, ids(oldestFirst));
    for (LogEntry e : oldestFirst) {
      assertEquals(MessageState.CREATED, e.state());
      assertNotNull(e.message());
    }
    assertEquals("orders", oldestFirst.get(0).message().queueName());
    assertEquals(
        expected, pageAll(logs, "acme", false, 2), "rows split across pages one entry at a time");
    assertEquals(List.of(other.id()), ids(awaitEntries(logs, "globex", 1)));
  }

  @Test
  void the_filter_sees_the_state_and_the_message_fields_and_keeps_what_it_accepts(Vertx vertx) {
    StoreBackend backend = open(vertx);
    LogStore logs = backend.logs();
    Message plain = described("acme", "https://a.example/hook", null, List.of());
    Message queued = described("acme", "https://b.example/hook", "orders", List.of("vip"));
    await(backend.stores().messages().append(List.of(plain, queued)));
    logs.created(List.of(plain, queued));
    logs.record(LogRecord.of(queued, MessageState.ACTIVE));
    awaitEntries(logs, "acme", 3);

    assertEquals(List.of(queued.id()), ids(filtered(logs, e -> e.state() == MessageState.ACTIVE)));
    assertEquals(
        List.of(plain.id()),
        ids(filtered(logs, e -> e.message().url().equals("https://a.example/hook"))));
    assertEquals(
        List.of(queued.id(), queued.id()),
        ids(filtered(logs, e -> "orders".equals(e.message().queueName()))));
    assertEquals(
        List.of(queued.id(), queued.id()),
        ids(filtered(logs, e -> e.message().labels().contains("vip"))));
    assertEquals(
        List.of(plain.id()), ids(filtered(logs, e -> Set.of(plain.id()).contains(e.messageId()))));
  }

  @Test
  void a_page_that_reaches_the_scan_limit_ends_early_with_a_cursor_to_go_on_from(Vertx vertx) {
    LogStore logs = open(vertx).logs();
    List<String> wanted = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Message m = message("acme", T0);
      logs.record(LogRecord.of(m, i % 3 == 2 ? MessageState.FAILED : MessageState.CREATED));
      if (i % 3 == 2) wanted.add(m.id());
    }
    awaitEntries(logs, "acme", 6);
    Predicate<LogEntry> failed = e -> e.state() == MessageState.FAILED;
    LogStore.Page first =
        await(logs.query("acme", new LogStore.Query(false, -1, 0, Long.MAX_VALUE, 10, failed, 2)));
    assertEquals(List.of(), first.entries(), "two entries examined, neither accepted");
    assertNotEquals(-1, first.next());
    List<String> found = new ArrayList<>();
    long cursor = -1;
    do {
      LogStore.Page p =
          await(
              logs.query(
                  "acme", new LogStore.Query(false, cursor, 0, Long.MAX_VALUE, 10, failed, 2)));
      found.addAll(ids(p.entries()));
      cursor = p.next();
    } while (cursor != -1);
    assertEquals(wanted, found);
  }

  @Test
  void the_date_range_keeps_transitions_between_from_and_to_both_included(Vertx vertx) {
    LogStore logs = open(vertx).logs();
    for (int i = 0; i < 3; i++) {
      clock.jumpTo(Instant.ofEpochMilli(T0 + i * 10_000L));
      logs.record(LogRecord.of(message("acme", T0), MessageState.CREATED));
      awaitEntries(logs, "acme", i + 1); // recorded before the clock moves on
    }
    List<LogEntry> all = page(logs, "acme", false, -1, 10).entries();
    long middle = all.get(1).time();
    assertTrue(
        all.get(0).time() < middle && middle < all.get(2).time(),
        "entries on three distinct times");
    for (boolean latestFirst : List.of(true, false)) {
      assertEquals(
          List.of(all.get(1).messageId()),
          ids(
              await(
                      logs.query(
                          "acme",
                          new LogStore.Query(latestFirst, -1, middle, middle, 10, ALL, 1000)))
                  .entries()));
      assertEquals(
          2,
          await(
                  logs.query(
                      "acme",
                      new LogStore.Query(latestFirst, -1, middle, Long.MAX_VALUE, 10, ALL, 1000)))
              .entries()
              .size());
      assertEquals(
          2,
          await(logs.query("acme", new LogStore.Query(latestFirst, -1, 0, middle, 10, ALL, 1000)))
              .entries()
              .size());
    }
  }

  @Test
  void expiry_deletes_the_entries_of_every_tenant_recorded_before_the_cutoff_and_nothing_newer(
      Vertx vertx) {
    StoreBackend backend = open(vertx);
    LogStore logs = backend.logs();
    Message finished = message("acme", T0);
    logs.record(LogRecord.of(finished, MessageState.CREATED));
    logs.record(LogRecord.of(message("globex", T0), MessageState.CREATED));
    logs.record(LogRecord.of(message("acme", T0), MessageState.CREATED));
    awaitEntries(logs, "acme", 2);
    awaitEntries(logs, "globex", 1);
    clock.jumpTo(Instant.ofEpochMilli(T0 + 60_000));
    logs.record(LogRecord.of(finished, MessageState.DELIVERED));
    awaitEntries(logs, "acme", 3);

    int deleted = 0;
    for (int n = await(logs.expire(T0 + 30_000, 1));
        n > 0;
        n = await(logs.expire(T0 + 30_000, 1))) {
      deleted += n; // a caller repeats while it gets something
    }
    assertEquals(3, deleted);
    List<LogEntry> left = awaitEntries(logs, "acme", 1);
    assertEquals(MessageState.DELIVERED, left.get(0).state());
    assertNotNull(left.get(0).message(), "a kept entry keeps its message's fields");
    assertEquals(finished.url(), left.get(0).message().url());
    assertEquals(List.of(), awaitEntries(logs, "globex", 0));
    assertEquals(0, await(logs.expire(T0 + 30_000, 100)));
  }

  @Test
  void tenants_see_only_their_own_entries_even_when_one_name_starts_with_another(Vertx vertx) {
    LogStore logs = open(vertx).logs();
    Message mine = message("acme", T0);
    logs.record(LogRecord.of(mine, MessageState.CREATED));
    logs.record(LogRecord.of(message("acme-corp", T0), MessageState.CREATED));
    logs.record(LogRecord.of(message("acm", T0), MessageState.CREATED));
    awaitEntries(logs, "acme-corp", 1);
    awaitEntries(logs, "acm", 1);
    assertEquals(List.of(mine.id()), ids(awaitEntries(logs, "acme", 1)));
    assertEquals(List.of(), page(logs, "nobody", true, -1, 10).entries());
  }

  @Test
  void nothing_is_dropped_in_normal_operation_and_records_after_close_are_dropped_and_counted(
      Vertx vertx) {
    StoreBackend backend = open(vertx);
    LogStore logs = backend.logs();
    for (int i = 0; i < 50; i++)
      logs.record(LogRecord.of(message("acme", T0), MessageState.CREATED));
    awaitEntries(logs, "acme", 50);
    assertEquals(0, logs.dropped());
    await(backend.close());
    logs.record(
        LogRecord.of(
            message("acme", T0), MessageState.CREATED)); // must not throw: recording never fails
    logs.created(List.of(message("acme", T0), message("acme", T0)));
    assertEquals(3, logs.dropped());
  }

  @Test
  void everything_recorded_before_close_is_there_after_reopening_and_positions_keep_growing(
      Vertx vertx) {
    StoreBackend backend = open(vertx);
    List<String> recorded = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Message m = message("acme", T0);
      backend.logs().record(LogRecord.of(m, MessageState.CREATED));
      recorded.add(m.id());
    }
    await(backend.close()); // no wait for the writer first: close writes what was recorded
    LogStore logs = open(vertx).logs();
    assertEquals(recorded, ids(page(logs, "acme", false, -1, 100).entries()));
    Message later = message("acme", T0);
    logs.record(LogRecord.of(later, MessageState.CREATED));
    List<LogEntry> entries = awaitEntries(logs, "acme", 21);
    assertEquals(later.id(), entries.get(0).messageId());
    assertTrue(entries.get(0).position() > entries.get(1).position());
  }

  /** A message with the fields the logs endpoints filter on. */
  private static Message described(String tenant, String url, String queue, List<String> labels) {
    Message m = message(tenant, queue, T0);
    return MessageBuilder.message(m.id(), tenant, url)
        .queueName(queue)
        .headers(m.headers())
        .body(m.body())
        .maxRetries(3)
        .createdAt(T0 - 1000)
        .callerIp("10.0.0.1")
        .labels(labels)
        .dueAt(T0)
        .build();
  }

  private static List<LogEntry> filtered(LogStore logs, Predicate<LogEntry> filter) {
    return await(
            logs.query("acme", new LogStore.Query(false, -1, 0, Long.MAX_VALUE, 100, filter, 1000)))
        .entries();
  }

  private static LogStore.Page page(
      LogStore logs, String tenant, boolean latestFirst, long after, int count) {
    return await(
        logs.query(
            tenant, new LogStore.Query(latestFirst, after, 0, Long.MAX_VALUE, count, ALL, 1000)));
  }

  /** Every entry's message id, following cursors with pages of {@code size}. */
  private static List<String> pageAll(LogStore logs, String tenant, boolean latestFirst, int size) {
    List<String> all = new ArrayList<>();
    long cursor = -1;
    int pages = 0;
    do {
      LogStore.Page p = page(logs, tenant, latestFirst, cursor, size);
      assertTrue(p.entries().size() <= size, "a page holds at most count entries");
      all.addAll(ids(p.entries()));
      cursor = p.next();
      assertTrue(++pages < 100, "cursors do not end");
    } while (cursor != -1);
    return all;
  }

  /**
   * Polls until the tenant has exactly {@code n} entries (recording is asynchronous); newest first.
   */
  private static List<LogEntry> awaitEntries(LogStore logs, String tenant, int n) {
    AtomicReference<List<LogEntry>> got = new AtomicReference<>(List.of());
    // a gentle pace, so polling does not crowd out the writer it waits for
    Polls.waitUpTo(
        Duration.ofMillis(POLL_MILLIS),
        Duration.ofMillis(5),
        () -> {
          got.set(page(logs, tenant, true, -1, 1000).entries());
          return got.get().size() == n;
        });
    assertEquals(n, got.get().size(), "entries of " + tenant);
    return got.get();
  }

  private static List<String> ids(List<LogEntry> entries) {
    return entries.stream().map(LogEntry::messageId).toList();
  }

  private static List<String> messageIds(List<Message> messages) {
    return messages.stream().map(Message::id).toList();
  }

  private static List<MessageState> states(List<LogEntry> entries) {
    return entries.stream().map(LogEntry::state).toList();
  }
}
