package dev.ferry.store;

import static dev.ferry.store.StoreFixtures.T0;
import static dev.ferry.store.StoreFixtures.assertSameEntry;
import static dev.ferry.store.StoreFixtures.assertSameMessage;
import static dev.ferry.store.StoreFixtures.assertSameMessages;
import static dev.ferry.store.StoreFixtures.attempt;
import static dev.ferry.store.StoreFixtures.await;
import static dev.ferry.store.StoreFixtures.dlqEntry;
import static dev.ferry.store.StoreFixtures.ids;
import static dev.ferry.store.StoreFixtures.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.model.DlqEntry;
import dev.ferry.model.DueEntry;
import dev.ferry.model.Message;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link MessageStore} must have apart from queues (see {@link
 * MessageStoreQueueContract}).
 */
public abstract class MessageStoreContract extends StoresContract {

  @Test
  void appended_message_is_found_by_its_tenant(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    Message m = message("acme", T0);
    await(store.append(List.of(m)));
    assertSameMessage(m, await(store.find("acme", m.id())).orElseThrow());
  }

  @Test
  void find_with_another_tenants_name_returns_empty(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    Message m = message("acme", T0);
    await(store.append(List.of(m)));
    assertEquals(Optional.empty(), await(store.find("globex", m.id())));
    assertEquals(Optional.empty(), await(store.find("acme", "msg_unknown")));
  }

  @Test
  void every_message_of_a_batch_is_stored(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    List<Message> batch =
        List.of(message("acme", T0), StoreFixtures.queued("acme", "q"), message("acme", T0 + 1));
    await(store.append(batch));
    assertSameMessages(batch, await(store.findAll(ids(batch))));
    await(store.append(List.of())); // an empty batch is fine too
  }

  @Test
  void bodies_are_byte_exact_and_nulls_survive(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    Message binary = StoreFixtures.everyField("acme");
    Message bare = StoreFixtures.requiredOnly("acme");
    await(store.append(List.of(binary, bare)));
    assertSameMessage(binary, await(store.find("acme", binary.id())).orElseThrow());
    Message found = await(store.find("acme", bare.id())).orElseThrow();
    assertSameMessage(bare, found);
    assertEquals(0, found.body().length);
    assertEquals(null, found.queueName());
    assertEquals(null, found.callerIp());
  }

  @Test
  void find_all_keeps_the_requested_order_and_leaves_out_what_is_not_pending(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    Message a = message("acme", T0);
    Message b = message("acme", T0);
    Message c = message("globex", T0);
    await(store.append(List.of(a, b, c)));
    await(store.markDelivered(b, attempt(200)));
    assertSameMessages(
        List.of(c, a), await(store.findAll(List.of(c.id(), "msg_unknown", a.id(), b.id()))));
    assertEquals(List.of(), await(store.findAll(List.of())));
  }

  @Test
  void scan_due_is_ordered_by_due_time_then_id(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    Message late = message("acme", T0 + 2000);
    Message early = message("acme", T0);
    Message tieFirst = message("acme", T0 + 1000);
    Message tieSecond = message("globex", T0 + 1000);
    await(store.append(List.of(late, tieSecond)));
    await(store.append(List.of(early, tieFirst)));
    assertEquals(
        List.of(due(early), due(tieFirst), due(tieSecond), due(late)),
        await(store.scanDue(Long.MIN_VALUE, "", Long.MAX_VALUE, 100)));
  }

  @Test
  void scan_due_resumes_strictly_after_the_cursor(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    Message a = message("acme", T0);
    Message b = message("acme", T0);
    Message c = message("acme", T0);
    Message d = message("acme", T0 + 1);
    await(store.append(List.of(a, b, c, d)));
    assertEquals(List.of(due(a), due(b)), await(store.scanDue(T0, "", Long.MAX_VALUE, 2)));
    assertEquals(List.of(due(c), due(d)), await(store.scanDue(T0, b.id(), Long.MAX_VALUE, 2)));
    assertEquals(List.of(), await(store.scanDue(T0 + 1, d.id(), Long.MAX_VALUE, 2)));
  }

  @Test
  void scan_due_with_an_empty_id_includes_every_id_at_that_time(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    Message before = message("acme", T0 - 1);
    Message at = message("acme", T0);
    await(store.append(List.of(before, at)));
    assertEquals(List.of(due(at)), await(store.scanDue(T0, "", Long.MAX_VALUE, 10)));
  }

  @Test
  void scan_due_stops_at_until_inclusive_and_at_the_limit(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    List<Message> ms = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ms.add(message("acme", T0 + i * 1000L));
    }
    await(store.append(ms));
    assertEquals(
        List.of(due(ms.get(0)), due(ms.get(1)), due(ms.get(2))),
        await(store.scanDue(0, "", T0 + 2000, 10)));
    assertEquals(List.of(due(ms.get(0))), await(store.scanDue(0, "", T0 + 2000, 1)));
    assertEquals(List.of(), await(store.scanDue(0, "", T0 - 1, 10)));
    assertEquals(List.of(), await(store.scanDue(0, "", Long.MAX_VALUE, 0)));
  }

  @Test
  void queued_messages_are_not_in_the_due_index(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    Message unqueued = message("acme", T0);
    await(store.append(List.of(StoreFixtures.queued("acme", "q"), unqueued)));
    assertEquals(
        List.of(due(unqueued)), await(store.scanDue(Long.MIN_VALUE, "", Long.MAX_VALUE, 10)));
  }

  @Test
  void reschedule_replaces_the_message_and_moves_its_due_row(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    Message m = message("acme", T0);
    Message retried = m.retriedAt(T0 + 5000);
    await(store.append(List.of(m)));
    await(store.reschedule(m, retried, attempt(500)));
    assertEquals(List.of(), await(store.scanDue(0, "", T0 + 4999, 10)));
    assertEquals(
        List.of(new DueEntry(T0 + 5000, m.id())), await(store.scanDue(0, "", Long.MAX_VALUE, 10)));
    Message found = await(store.find("acme", m.id())).orElseThrow();
    assertSameMessage(retried, found);
    assertEquals(1, found.retried());
  }

  @Test
  void mark_delivered_removes_the_message_and_its_due_row(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    Message m = message("acme", T0);
    Message other = message("acme", T0);
    await(store.append(List.of(m, other)));
    await(store.markDelivered(m, attempt(200)));
    assertEquals(Optional.empty(), await(store.find("acme", m.id())));
    assertEquals(List.of(due(other)), await(store.scanDue(Long.MIN_VALUE, "", Long.MAX_VALUE, 10)));
  }

  @Test
  void move_to_dlq_stores_the_entry_and_removes_the_pending_message(Vertx vertx) {
    Stores stores = open(vertx);
    Message m = message("acme", T0);
    DlqEntry entry = dlqEntry(T0 + "-1", m);
    await(stores.messages().append(List.of(m)));
    await(stores.messages().moveToDlq(m, entry));
    assertEquals(Optional.empty(), await(stores.messages().find("acme", m.id())));
    assertEquals(
        List.of(), await(stores.messages().scanDue(Long.MIN_VALUE, "", Long.MAX_VALUE, 10)));
    assertSameEntry(entry, await(stores.dlq().find("acme", entry.dlqId())).orElseThrow());
  }

  /**
   * A late outcome for a message that already left (delivered, purged) must not bring it back or
   * DLQ it.
   */
  @Test
  void transitions_of_a_message_no_longer_pending_change_nothing(Vertx vertx) {
    Stores stores = open(vertx);
    Message m = message("acme", T0);
    await(stores.messages().append(List.of(m)));
    await(stores.messages().markDelivered(m, attempt(200)));
    await(stores.messages().reschedule(m, m.retriedAt(T0 + 1000), attempt(500)));
    await(stores.messages().moveToDlq(m, dlqEntry(T0 + "-1", m)));
    await(stores.messages().markDelivered(m, attempt(200)));
    assertEquals(Optional.empty(), await(stores.messages().find("acme", m.id())));
    assertEquals(
        List.of(), await(stores.messages().scanDue(Long.MIN_VALUE, "", Long.MAX_VALUE, 10)));
    assertEquals(List.of(), await(stores.dlq().list("acme", null, 10)));
  }

  @Test
  void a_thousand_concurrent_appends_all_complete(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    List<Message> ms = new ArrayList<>();
    List<Future<Void>> appends = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      Message m = i % 2 == 0 ? message("acme", T0 + i) : StoreFixtures.queued("acme", "q");
      ms.add(m);
      appends.add(store.append(List.of(m)));
    }
    await(Future.all(appends));
    assertSameMessages(ms, await(store.findAll(ids(ms))));
    assertEquals(500L, await(store.queueLength("acme", "q")));
    assertEquals(500, await(store.scanDue(Long.MIN_VALUE, "", Long.MAX_VALUE, 10_000)).size());
  }

  @Test
  void everything_written_is_there_after_close_and_reopen(Vertx vertx) {
    Stores stores = open(vertx);
    Message kept = message("acme", T0);
    Message delivered = message("acme", T0);
    Message retried = message("acme", T0);
    Message failed = message("acme", T0);
    Message queued = StoreFixtures.queued("acme", "q");
    DlqEntry entry = dlqEntry(T0 + "-1", failed);
    await(stores.messages().append(List.of(kept, delivered, retried, failed, queued)));
    await(stores.messages().markDelivered(delivered, attempt(200)));
    await(stores.messages().reschedule(retried, retried.retriedAt(T0 + 9000), attempt(500)));
    await(stores.messages().moveToDlq(failed, entry));

    Stores restarted = reopen(vertx, stores);
    MessageStore reopened = restarted.messages();

    assertSameMessages(
        List.of(kept, retried.retriedAt(T0 + 9000), queued),
        await(reopened.findAll(ids(List.of(kept, delivered, retried, failed, queued)))));
    assertEquals(
        List.of(due(kept), new DueEntry(T0 + 9000, retried.id())),
        await(reopened.scanDue(Long.MIN_VALUE, "", Long.MAX_VALUE, 10)));
    assertEquals(1L, await(reopened.queueLength("acme", "q")));
    assertSameMessages(List.of(queued), await(reopened.queueSlice("acme", "q", null, 10)));
    assertTrue(await(restarted.dlq().find("acme", entry.dlqId())).isPresent());
  }

  private static DueEntry due(Message m) {
    return new DueEntry(m.dueAt(), m.id());
  }
}
