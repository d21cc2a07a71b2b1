package dev.ferry.store.embedded;

import static dev.ferry.store.StoreFixtures.T0;
import static dev.ferry.store.StoreFixtures.await;
import static dev.ferry.store.StoreFixtures.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.model.AttemptResult;
import dev.ferry.model.LogEntry;
import dev.ferry.model.LogRecord;
import dev.ferry.model.Message;
import dev.ferry.model.MessageState;
import dev.ferry.store.LogStore;
import dev.ferry.store.Stores;
import dev.ferry.testing.Polls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log store on its own: ordering, cursors, the join with the message store, expiry, restarts.
 */
class EmbeddedLogStoreTest {
  @TempDir Path dir;
  private final AtomicLong clock = new AtomicLong(T0);
  private Stores stores;
  private LogStore logs;

  @BeforeEach
  void open() {
    stores = await(EmbeddedStores.open(dir.resolve("data")));
    logs = await(EmbeddedLogStore.open(dir.resolve("logs"), clock::get, stores.messages()));
  }

  @AfterEach
  void close() {
    await(logs.close());
    await(stores.close());
  }

  @Test
  void entries_come_back_in_recording_order_both_ways_with_cursors() throws Exception {
    List<Message> ms = new ArrayList<>();
    for (int i = 0; i < 5; i++) ms.add(message("acme", T0));
    await(stores.messages().append(ms));
    logs.created(ms.subList(0, 3));
    clock.addAndGet(5);
    logs.created(ms.subList(3, 5));
    logs.created(List.of(message("globex", T0)));
    List<LogEntry> all = awaitEntries("acme", 5);
    assertEquals(List.of(4, 3, 2, 1, 0).stream().map(i -> ms.get(i).id()).toList(), ids(all));
    assertEquals(T0 + 5, all.get(0).time());
    assertEquals(T0, all.get(4).time());

    LogStore.Page first = await(logs.query("acme", query(true, -1, 2)));
    assertEquals(ids(all.subList(0, 2)), ids(first.entries()));
    LogStore.Page second = await(logs.query("acme", query(true, first.next(), 2)));
    assertEquals(ids(all.subList(2, 4)), ids(second.entries()));
    LogStore.Page last = await(logs.query("acme", query(true, second.next(), 2)));
    assertEquals(ids(all.subList(4, 5)), ids(last.entries()));
    assertEquals(-1, last.next());

    LogStore.Page oldest = await(logs.query("acme", query(false, -1, 3)));
    assertEquals(List.of(ms.get(0).id(), ms.get(1).id(), ms.get(2).id()), ids(oldest.entries()));
    logs.record(
        LogRecord.of(ms.get(0), MessageState.ACTIVE)); // recorded after the cursor was handed out
    awaitEntries("acme", 6);
    LogStore.Page rest = await(logs.query("acme", query(false, oldest.next(), 10)));
    assertEquals(List.of(ms.get(3).id(), ms.get(4).id(), ms.get(0).id()), ids(rest.entries()));
    assertEquals(MessageState.ACTIVE, rest.entries().get(2).state());
  }

  @Test
  void single_creates_written_together_read_back_one_entry_each_in_order_across_pages()
      throws Exception {
    List<Message> acme = new ArrayList<>();
    for (int i = 0; i < 10; i++) acme.add(message("acme", T0));
    Message globex = message("globex", T0);
    List<Message> all = new ArrayList<>(acme);
    all.add(globex);
    await(stores.messages().append(all));
    // one publish per call, as single publishes arrive: the writer joins runs of them into shared
    // rows
    for (int i = 0; i < 5; i++) logs.created(List.of(acme.get(i)));
    logs.created(List.of(globex)); // another tenant in between ends a run
    for (int i = 5; i < 8; i++) logs.created(List.of(acme.get(i)));
    logs.record(
        LogRecord.of(acme.get(0), MessageState.ACTIVE)); // and so does an entry of another kind
    clock.addAndGet(1); // and a new millisecond (positions jump)
    for (int i = 8; i < 10; i++) logs.created(List.of(acme.get(i)));

    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 8; i++) expected.add(acme.get(i).id());
    expected.add(acme.get(0).id());
    expected.add(acme.get(8).id());
    expected.add(acme.get(9).id());
    List<LogEntry> newestFirst = awaitEntries("acme", 11);
    List<String> reversed = new ArrayList<>(expected);
    java.util.Collections.reverse(reversed);
    assertEquals(reversed, ids(newestFirst));
    assertEquals(MessageState.ACTIVE, newestFirst.get(2).state());
    assertEquals(T0 + 1, newestFirst.get(0).time());
    assertEquals(List.of(globex.id()), ids(awaitEntries("globex", 1)));

    List<String> paged = new ArrayList<>();
    long cursor = -1;
    do {
      LogStore.Page page = await(logs.query("acme", query(false, cursor, 3)));
      paged.addAll(ids(page.entries()));
      cursor = page.next();
    } while (cursor != -1);
    assertEquals(expected, paged);
  }

  @Test
  void pending_messages_are_joined_from_the_message_store_and_finished_ones_from_the_logs_copy()
      throws Exception {
    Message m = message("acme", T0);
    await(stores.messages().append(List.of(m)));
    logs.created(List.of(m));
    assertEquals(m.url(), awaitEntries("acme", 1).get(0).message().url());
    await(stores.messages().markDelivered(m, new AttemptResult(200, null, null, null, T0)));
    logs.record(LogRecord.of(m, MessageState.DELIVERED));
    List<LogEntry> entries = awaitEntries("acme", 2);
    entries.forEach(e -> assertEquals(m.url(), e.message().url()));
    assertEquals(MessageState.DELIVERED, entries.get(0).state());
    assertNull(awaitEntries("globex", 0).stream().findAny().orElse(null));
  }

  @Test
  void an_error_entry_keeps_the_response_with_a_capped_body() throws Exception {
    Message m = message("acme", T0);
    byte[] big = new byte[EmbeddedLogStore.MAX_LOGGED_BODY + 100];
    logs.record(
        new LogRecord(
            "acme",
            m.id(),
            MessageState.ERROR,
            "HTTP 500",
            0,
            new AttemptResult(500, Map.of("X-A", List.of("b")), big, null, T0),
            m));
    LogEntry e = awaitEntries("acme", 1).get(0);
    assertEquals("HTTP 500", e.error());
    assertEquals(500, e.response().status());
    assertEquals(List.of("b"), e.response().headers().get("X-A"));
    assertEquals(EmbeddedLogStore.MAX_LOGGED_BODY, e.response().body().length);
    assertNull(e.message(), "neither pending nor finished: no fields to join");
  }

  @Test
  void expiry_drops_old_entries_and_the_copies_of_messages_finished_among_them() throws Exception {
    Message done = message("acme", T0);
    Message later = message("acme", T0);
    logs.record(LogRecord.of(done, MessageState.CREATED));
    logs.record(LogRecord.of(done, MessageState.DELIVERED));
    clock.addAndGet(1000);
    logs.record(LogRecord.of(later, MessageState.DELIVERED));
    logs.record(LogRecord.of(message("globex", T0), MessageState.CREATED));
    awaitEntries("acme", 3);
    // globex's entry too: the expiries below count it, and the writer may write it in a later batch
    awaitEntries("globex", 1);
    assertEquals(2, await(logs.expire(T0 + 500, 100)));
    List<LogEntry> left = awaitEntries("acme", 1);
    assertEquals(later.id(), left.get(0).messageId());
    assertNotNull(left.get(0).message());
    assertEquals(0, await(logs.expire(T0 + 500, 100)));
    assertEquals(1, await(logs.expire(T0 + 2000, 1)));
    assertEquals(1, await(logs.expire(T0 + 2000, 1)));
    assertEquals(0, awaitEntries("acme", 0).size());
  }

  @Test
  void positions_keep_increasing_across_a_restart_even_if_the_clock_went_back() throws Exception {
    Message a = message("acme", T0);
    logs.record(LogRecord.of(a, MessageState.CREATED));
    awaitEntries("acme", 1);
    await(logs.close());
    clock.set(T0 - 60_000);
    logs = await(EmbeddedLogStore.open(dir.resolve("logs"), clock::get, stores.messages()));
    Message b = message("acme", T0);
    logs.record(LogRecord.of(b, MessageState.CREATED));
    List<LogEntry> entries = awaitEntries("acme", 2);
    assertEquals(List.of(b.id(), a.id()), ids(entries));
    assertTrue(entries.get(0).position() > entries.get(1).position());
  }

  private static LogStore.Query query(boolean latestFirst, long after, int count) {
    return new LogStore.Query(latestFirst, after, 0, Long.MAX_VALUE, count, e -> true, 1000);
  }

  /**
   * Polls until the tenant has exactly {@code n} entries (writes are asynchronous), newest first.
   */
  private List<LogEntry> awaitEntries(String tenant, int n) throws Exception {
    Predicate<LogEntry> all = e -> true;
    AtomicReference<List<LogEntry>> got = new AtomicReference<>(List.of());
    try {
      return Polls.within(Duration.ofSeconds(5))
          .until(
              () -> {
                got.set(
                    await(
                            logs.query(
                                tenant,
                                new LogStore.Query(
                                    true, -1, 0, Long.MAX_VALUE, 1000, all, 100_000)))
                        .entries());
                return got.get();
              },
              entries -> entries.size() == n);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "expected " + n + " entries of " + tenant + ", got " + got.get().size());
    }
  }

  private static List<String> ids(List<LogEntry> entries) {
    return entries.stream().map(LogEntry::messageId).toList();
  }
}
