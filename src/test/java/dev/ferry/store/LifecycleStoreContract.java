package dev.ferry.store;

import static dev.ferry.store.StoreFixtures.T0;
import static dev.ferry.store.StoreFixtures.assertSameMessages;
import static dev.ferry.store.StoreFixtures.attempt;
import static dev.ferry.store.StoreFixtures.await;
import static dev.ferry.store.StoreFixtures.dlqEntry;
import static dev.ferry.store.StoreFixtures.ids;
import static dev.ferry.store.StoreFixtures.message;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.model.DlqEntry;
import dev.ferry.model.Message;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the lifecycle endpoints need from every backend: cancelling pending messages, scanning them,
 * and the DLQ's newest-first listing, bulk delete and expiry.
 */
public abstract class LifecycleStoreContract extends StoresContract {

  @Test
  void cancel_removes_only_the_tenants_pending_messages_and_returns_them(Vertx vertx) {
    Stores stores = open(vertx);
    MessageStore store = stores.messages();
    Message a = message("acme", T0);
    Message b = message("acme", T0 + 5);
    Message q = StoreFixtures.queued("acme", "jobs");
    Message other = message("globex", T0);
    await(store.append(List.of(a, b, q, other)));
    await(store.markDelivered(b, attempt(200)));

    List<Message> removed =
        await(store.cancel("acme", List.of(q.id(), b.id(), other.id(), "msg_unknown", a.id())));
    assertSameMessages(List.of(q, a), removed);
    assertEquals(Optional.empty(), await(store.find("acme", a.id())));
    assertEquals(0L, await(store.queueLength("acme", "jobs")));
    assertEquals(List.of(), await(store.queueSlice("acme", "jobs", null, 10)));
    assertEquals(
        List.of(),
        await(store.scanDue(0, "", Long.MAX_VALUE, 10)).stream()
            .filter(d -> d.messageId().equals(a.id()))
            .toList());
    assertEquals(other.id(), await(store.find("globex", other.id())).orElseThrow().id());
    assertEquals(List.of(), await(store.cancel("acme", List.of(a.id()))));
    assertEquals(List.of(), await(store.cancel("acme", List.of())));
  }

  @Test
  void a_cancelled_message_is_not_resurrected_by_a_late_outcome(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    Message m = message("acme", T0);
    await(store.append(List.of(m)));
    await(store.cancel("acme", List.of(m.id())));
    await(store.reschedule(m, m.retriedAt(T0 + 1000), attempt(500)));
    await(store.moveToDlq(m, dlqEntry(T0 + "-1", m)));
    assertEquals(Optional.empty(), await(store.find("acme", m.id())));
  }

  @Test
  void cancel_survives_a_restart(Vertx vertx) {
    Stores stores = open(vertx);
    Message m = message("acme", T0);
    await(stores.messages().append(List.of(m)));
    await(stores.messages().cancel("acme", List.of(m.id())));
    Stores again = reopen(vertx, stores);
    assertEquals(Optional.empty(), await(again.messages().find("acme", m.id())));
  }

  @Test
  void scan_pending_pages_every_tenants_messages_in_id_order(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    List<Message> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) all.add(message(i % 2 == 0 ? "acme" : "globex", T0 + i));
    await(store.append(all));
    assertSameMessages(all.subList(0, 2), await(store.scanPending(null, 2)));
    assertSameMessages(all.subList(2, 4), await(store.scanPending(all.get(1).id(), 2)));
    assertSameMessages(all.subList(4, 5), await(store.scanPending(all.get(3).id(), 2)));
    assertEquals(List.of(), await(store.scanPending(all.get(4).id(), 2)));
    assertEquals(ids(all), ids(await(store.scanPending(null, 100))));
  }

  @Test
  void dlq_lists_newest_first_before_a_cursor(Vertx vertx) {
    Stores stores = open(vertx);
    for (String id : List.of("1000-9", "1000-10", "999-1", "1001-0")) moveToDlq(stores, "acme", id);
    moveToDlq(stores, "globex", "1002-0");
    DlqStore dlq = stores.dlq();
    assertEquals(List.of("1001-0", "1000-10"), dlqIds(await(dlq.listNewestFirst("acme", null, 2))));
    assertEquals(
        List.of("1000-9", "999-1"), dlqIds(await(dlq.listNewestFirst("acme", "1000-10", 5))));
    assertEquals(List.of(), await(dlq.listNewestFirst("acme", "999-1", 5)));
    assertEquals(List.of("1002-0"), dlqIds(await(dlq.listNewestFirst("globex", null, 5))));
  }

  @Test
  void dlq_bulk_delete_reports_what_was_there(Vertx vertx) {
    Stores stores = open(vertx);
    for (String id : List.of("1-0", "2-0", "3-0")) moveToDlq(stores, "acme", id);
    moveToDlq(stores, "globex", "4-0");
    assertEquals(
        List.of("1-0", "3-0"),
        await(stores.dlq().deleteAll("acme", List.of("1-0", "9-9", "3-0", "4-0"))));
    assertEquals(List.of("2-0"), dlqIds(await(stores.dlq().list("acme", null, 10))));
    assertEquals(List.of("4-0"), dlqIds(await(stores.dlq().list("globex", null, 10))));
  }

  @Test
  void dlq_expiry_removes_entries_older_than_the_cutoff_for_every_tenant_in_bounded_batches(
      Vertx vertx) {
    Stores stores = open(vertx);
    for (int i = 0; i < 5; i++) moveToDlq(stores, "acme", (T0 + i) + "-0");
    moveToDlq(stores, "globex", (T0 + 1) + "-0");
    moveToDlq(stores, "globex", (T0 + 9) + "-0");
    DlqStore dlq = stores.dlq();
    assertEquals(2, await(dlq.expire(T0 + 3, 2)));
    assertEquals(2, await(dlq.expire(T0 + 3, 2)));
    assertEquals(0, await(dlq.expire(T0 + 3, 2)));
    assertEquals(
        List.of((T0 + 3) + "-0", (T0 + 4) + "-0"), dlqIds(await(dlq.list("acme", null, 10))));
    assertEquals(List.of((T0 + 9) + "-0"), dlqIds(await(dlq.list("globex", null, 10))));
  }

  private static void moveToDlq(Stores stores, String tenant, String dlqId) {
    Message m = message(tenant, T0);
    await(stores.messages().append(List.of(m)));
    await(stores.messages().moveToDlq(m, dlqEntry(dlqId, m)));
  }

  private static List<String> dlqIds(List<DlqEntry> entries) {
    return entries.stream().map(DlqEntry::dlqId).toList();
  }
}
