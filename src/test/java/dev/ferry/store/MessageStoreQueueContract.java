package dev.ferry.store;

import static dev.ferry.store.StoreFixtures.T0;
import static dev.ferry.store.StoreFixtures.assertSameMessages;
import static dev.ferry.store.StoreFixtures.attempt;
import static dev.ferry.store.StoreFixtures.await;
import static dev.ferry.store.StoreFixtures.dlqEntry;
import static dev.ferry.store.StoreFixtures.ids;
import static dev.ferry.store.StoreFixtures.message;
import static dev.ferry.store.StoreFixtures.queued;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.model.Message;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The queue side of every {@link MessageStore}: FIFO slices, exact lengths, purge. */
public abstract class MessageStoreQueueContract extends StoresContract {

  @Test
  void mark_all_delivered_removes_queued_and_unqueued_messages_once(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    List<Message> q = appendQueued(store, "acme", "q", 3);
    Message plain = message("acme", T0);
    await(store.append(List.of(plain)));
    await(store.markAllDelivered(List.of(q.get(0), plain, q.get(1))));
    assertEquals(1L, await(store.queueLength("acme", "q")));
    assertEquals(
        List.of(q.get(2).id()),
        ids(
            await(
                store.findAll(List.of(q.get(0).id(), plain.id(), q.get(1).id(), q.get(2).id())))));
    assertEquals(List.of(), await(store.scanDue(0, "", Long.MAX_VALUE, 10)));
    await(
        store.markAllDelivered(
            List.of(q.get(0), plain))); // again: nothing left to remove, counts stay exact
    assertEquals(1L, await(store.queueLength("acme", "q")));
    await(store.markAllDelivered(List.of()));
  }

  @Test
  void queue_slice_is_fifo_and_pages_after_an_id(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    List<Message> q = appendQueued(store, "acme", "q", 5);
    assertSameMessages(q.subList(0, 2), await(store.queueSlice("acme", "q", null, 2)));
    assertSameMessages(q.subList(2, 4), await(store.queueSlice("acme", "q", q.get(1).id(), 2)));
    assertSameMessages(q.subList(4, 5), await(store.queueSlice("acme", "q", q.get(3).id(), 10)));
    assertEquals(List.of(), await(store.queueSlice("acme", "q", q.get(4).id(), 10)));
    assertEquals(List.of(), await(store.queueSlice("acme", "q", null, 0)));
  }

  @Test
  void queue_slice_continues_after_an_id_that_is_no_longer_pending(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    List<Message> q = appendQueued(store, "acme", "q", 3);
    await(store.markDelivered(q.get(0), attempt(200)));
    assertSameMessages(q.subList(1, 3), await(store.queueSlice("acme", "q", q.get(0).id(), 10)));
    assertSameMessages(q.subList(1, 3), await(store.queueSlice("acme", "q", null, 10)));
  }

  @Test
  void queues_are_separate_per_name_and_per_tenant(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    List<Message> mine = appendQueued(store, "acme", "q", 2);
    List<Message> otherQueue = appendQueued(store, "acme", "q2", 1);
    List<Message> otherTenant = appendQueued(store, "globex", "q", 3);
    // a queue whose name extends another's must not leak into it
    List<Message> prefixed = appendQueued(store, "acme", "q-", 1);
    assertSameMessages(mine, await(store.queueSlice("acme", "q", null, 10)));
    assertSameMessages(otherQueue, await(store.queueSlice("acme", "q2", null, 10)));
    assertSameMessages(otherTenant, await(store.queueSlice("globex", "q", null, 10)));
    assertSameMessages(prefixed, await(store.queueSlice("acme", "q-", null, 10)));
    assertEquals(2L, await(store.queueLength("acme", "q")));
    assertEquals(3L, await(store.queueLength("globex", "q")));
    assertEquals(0L, await(store.queueLength("acme", "unknown")));
  }

  @Test
  void queue_length_is_exact_through_every_transition(Vertx vertx) {
    Stores stores = open(vertx);
    MessageStore store = stores.messages();
    List<Message> q = appendQueued(store, "acme", "q", 5);
    appendQueued(store, "globex", "q", 2);
    assertEquals(5L, await(store.queueLength("acme", "q")));

    await(store.markDelivered(q.get(0), attempt(200)));
    assertEquals(4L, await(store.queueLength("acme", "q")));
    await(store.moveToDlq(q.get(1), dlqEntry(T0 + "-1", q.get(1))));
    assertEquals(3L, await(store.queueLength("acme", "q")));
    await(store.reschedule(q.get(2), q.get(2).retriedAt(T0 + 1000), attempt(500)));
    assertEquals(3L, await(store.queueLength("acme", "q")));
    await(store.markDelivered(q.get(0), attempt(200))); // twice: counted once
    await(store.moveToDlq(q.get(1), dlqEntry(T0 + "-2", q.get(1))));
    assertEquals(3L, await(store.queueLength("acme", "q")));

    assertEquals(3L, await(store.purgeQueue("acme", "q")));
    assertEquals(0L, await(store.queueLength("acme", "q")));
    assertEquals(2L, await(store.queueLength("globex", "q")));
  }

  @Test
  void rescheduled_queued_message_keeps_its_place(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    List<Message> q = appendQueued(store, "acme", "q", 3);
    Message retried = q.get(0).retriedAt(T0 + 60_000);
    await(store.reschedule(q.get(0), retried, attempt(503)));
    assertSameMessages(
        List.of(retried, q.get(1), q.get(2)), await(store.queueSlice("acme", "q", null, 10)));
  }

  @Test
  void purge_removes_the_queues_messages_and_nothing_else(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    List<Message> purged = appendQueued(store, "acme", "q", 3);
    List<Message> otherQueue = appendQueued(store, "acme", "q2", 2);
    Message unqueued = message("acme", T0);
    await(store.append(List.of(unqueued)));

    assertEquals(3L, await(store.purgeQueue("acme", "q")));

    assertEquals(List.of(), await(store.queueSlice("acme", "q", null, 10)));
    assertEquals(List.of(), await(store.findAll(ids(purged))));
    assertEquals(Optional.empty(), await(store.find("acme", purged.get(0).id())));
    assertSameMessages(otherQueue, await(store.queueSlice("acme", "q2", null, 10)));
    assertEquals(1, await(store.findAll(List.of(unqueued.id()))).size());
    assertEquals(0L, await(store.purgeQueue("acme", "q")));
    assertEquals(0L, await(store.purgeQueue("acme", "never-existed")));
  }

  @Test
  void a_late_reschedule_does_not_bring_back_a_purged_message(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    List<Message> q = appendQueued(store, "acme", "q", 1);
    await(store.purgeQueue("acme", "q"));
    await(store.reschedule(q.get(0), q.get(0).retriedAt(T0 + 1000), attempt(500)));
    assertEquals(Optional.empty(), await(store.find("acme", q.get(0).id())));
    assertEquals(0L, await(store.queueLength("acme", "q")));
  }

  @Test
  void appends_racing_a_purge_are_counted_exactly(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    List<Future<?>> calls = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      calls.add(store.append(List.of(queued("acme", "q"))));
    }
    Future<Long> purge = store.purgeQueue("acme", "q");
    for (int i = 0; i < 20; i++) {
      calls.add(store.append(List.of(queued("acme", "q"))));
    }
    calls.add(purge);
    await(Future.all(calls));
    long left = await(store.queueLength("acme", "q"));
    assertEquals(70L - await(purge), left);
    assertEquals(left, await(store.queueSlice("acme", "q", null, 1000)).size());
  }

  private static List<Message> appendQueued(
      MessageStore store, String tenant, String queue, int n) {
    List<Message> ms = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ms.add(queued(tenant, queue));
    }
    await(store.append(ms));
    return ms;
  }
}
