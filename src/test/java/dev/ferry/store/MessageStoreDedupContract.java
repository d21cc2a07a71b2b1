package dev.ferry.store;

import static dev.ferry.store.StoreFixtures.T0;
import static dev.ferry.store.StoreFixtures.await;
import static dev.ferry.store.StoreFixtures.guarded;
import static dev.ferry.store.StoreFixtures.message;
import static dev.ferry.store.StoreFixtures.queued;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.model.Message;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Deduplicated appends of every {@link MessageStore}: atomic check-and-record, per tenant, expiry,
 * purge.
 */
public abstract class MessageStoreDedupContract extends StoresContract {
  static final long WINDOW = 600_000;

  @Test
  void a_held_key_stores_nothing_and_names_the_original(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    Message first = guarded("acme", "k");
    Message second = guarded("acme", "k");
    assertEquals(
        Arrays.asList((String) null),
        await(store.appendDeduplicated(List.of(first), List.of("k"), T0, T0 + WINDOW)));
    assertEquals(
        List.of(first.id()),
        await(store.appendDeduplicated(List.of(second), List.of("k"), T0 + 1, T0 + 1 + WINDOW)));
    assertEquals(List.of(first.id()), ids(await(store.findAll(List.of(first.id(), second.id())))));
  }

  @Test
  void keys_are_per_tenant_and_unguarded_messages_are_always_stored(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    Message a = guarded("acme", "k");
    Message b = guarded("globex", "k");
    Message free = message("acme", T0);
    List<String> results =
        await(
            store.appendDeduplicated(
                List.of(a, b, free), Arrays.asList("k", "k", null), T0, T0 + WINDOW));
    assertEquals(Arrays.asList(null, null, null), results);
    assertEquals(3, await(store.findAll(List.of(a.id(), b.id(), free.id()))).size());
  }

  @Test
  void a_key_repeated_within_one_append_stores_the_first_only(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    Message first = guarded("acme", "k");
    Message again = guarded("acme", "k");
    assertEquals(
        Arrays.asList(null, first.id()),
        await(store.appendDeduplicated(List.of(first, again), List.of("k", "k"), T0, T0 + WINDOW)));
  }

  @Test
  void of_many_concurrent_appends_with_one_key_exactly_one_stores(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    List<Message> all = new ArrayList<>();
    List<Future<List<String>>> appends = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Message m = guarded("acme", "race");
      all.add(m);
      appends.add(store.appendDeduplicated(List.of(m), List.of("race"), T0, T0 + WINDOW));
    }
    await(Future.all(appends));
    List<String> stored = ids(await(store.findAll(ids(all))));
    assertEquals(1, stored.size());
    for (Future<List<String>> f : appends) {
      String original = f.result().get(0);
      assertTrue(
          original == null || original.equals(stored.get(0)),
          "every duplicate names the stored message");
    }
  }

  @Test
  void an_expired_key_is_free_again(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    Message first = guarded("acme", "k");
    Message later = guarded("acme", "k");
    await(store.appendDeduplicated(List.of(first), List.of("k"), T0, T0 + WINDOW));
    assertEquals(
        List.of(first.id()),
        await(
            store.appendDeduplicated(
                List.of(later), List.of("k"), T0 + WINDOW - 1, T0 + 2 * WINDOW)));
    assertEquals(
        Arrays.asList((String) null),
        await(
            store.appendDeduplicated(List.of(later), List.of("k"), T0 + WINDOW, T0 + 2 * WINDOW)));
  }

  @Test
  void a_duplicate_does_not_count_into_its_queue(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    await(
        store.appendDeduplicated(
            List.of(queued("acme", "q"), queued("acme", "q")), List.of("k", "k"), T0, T0 + WINDOW));
    assertEquals(1L, await(store.queueLength("acme", "q")));
  }

  @Test
  void keys_survive_a_restart(Vertx vertx) {
    Stores stores = open(vertx);
    Message first = guarded("acme", "k");
    await(stores.messages().appendDeduplicated(List.of(first), List.of("k"), T0, T0 + WINDOW));
    MessageStore reopened = reopen(vertx, stores).messages();
    assertEquals(
        List.of(first.id()),
        await(
            reopened.appendDeduplicated(
                List.of(guarded("acme", "k")), List.of("k"), T0 + 5, T0 + 5 + WINDOW)));
  }

  @Test
  void purge_removes_expired_records_in_bounded_steps_and_keeps_live_ones(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    for (int i = 0; i < 5; i++) {
      await(
          store.appendDeduplicated(
              List.of(guarded("acme", "old-" + i)), List.of("old-" + i), T0, T0 + 10));
    }
    Message live = guarded("acme", "live");
    await(store.appendDeduplicated(List.of(live), List.of("live"), T0, T0 + WINDOW));
    assertEquals(2, await(store.purgeExpiredDedup(T0 + 10, 2)));
    assertEquals(2, await(store.purgeExpiredDedup(T0 + 10, 2)));
    assertEquals(1, await(store.purgeExpiredDedup(T0 + 10, 2)));
    assertEquals(0, await(store.purgeExpiredDedup(T0 + 10, 2)));
    assertEquals(
        List.of(live.id()),
        await(
            store.appendDeduplicated(
                List.of(guarded("acme", "live")), List.of("live"), T0 + 11, T0 + 11 + WINDOW)));
  }

  @Test
  void purging_the_stale_index_row_of_a_reused_key_keeps_its_new_record(Vertx vertx) {
    MessageStore store = open(vertx).messages();
    await(store.appendDeduplicated(List.of(guarded("acme", "k")), List.of("k"), T0, T0 + 10));
    Message reused = guarded("acme", "k");
    await(store.appendDeduplicated(List.of(reused), List.of("k"), T0 + 20, T0 + 20 + WINDOW));
    assertEquals(1, await(store.purgeExpiredDedup(T0 + 30, 10)));
    assertEquals(
        List.of(reused.id()),
        await(
            store.appendDeduplicated(
                List.of(guarded("acme", "k")), List.of("k"), T0 + 40, T0 + 40 + WINDOW)));
  }

  private static List<String> ids(List<Message> messages) {
    return StoreFixtures.ids(messages);
  }
}
