package dev.ferry.store;

import static dev.ferry.store.StoreFixtures.T0;
import static dev.ferry.store.StoreFixtures.assertSameEntry;
import static dev.ferry.store.StoreFixtures.await;
import static dev.ferry.store.StoreFixtures.dlqEntry;
import static dev.ferry.store.StoreFixtures.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.model.DlqEntry;
import dev.ferry.model.Message;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link DlqStore} must have; entries arrive through {@link
 * MessageStore#moveToDlq}.
 */
public abstract class DlqStoreContract extends StoresContract {

  @Test
  void entries_list_oldest_first_comparing_sequence_numbers_as_numbers(Vertx vertx) {
    Stores stores = open(vertx);
    // "1000-10" is newer than "1000-9" although it sorts before it as text
    for (String id : List.of("1000-10", "1001-0", "999-100", "1000-9")) {
      moveToDlq(stores, "acme", id);
    }
    assertEquals(
        List.of("999-100", "1000-9", "1000-10", "1001-0"),
        dlqIds(await(stores.dlq().list("acme", null, 10))));
  }

  @Test
  void list_pages_strictly_after_an_id_up_to_the_limit(Vertx vertx) {
    Stores stores = open(vertx);
    for (int seq = 0; seq < 5; seq++) {
      moveToDlq(stores, "acme", T0 + "-" + seq);
    }
    DlqStore dlq = stores.dlq();
    assertEquals(List.of(T0 + "-0", T0 + "-1"), dlqIds(await(dlq.list("acme", null, 2))));
    assertEquals(List.of(T0 + "-2", T0 + "-3"), dlqIds(await(dlq.list("acme", T0 + "-1", 2))));
    assertEquals(List.of(T0 + "-4"), dlqIds(await(dlq.list("acme", T0 + "-3", 2))));
    assertEquals(List.of(), await(dlq.list("acme", T0 + "-4", 2)));
    assertEquals(List.of(), await(dlq.list("acme", null, 0)));
  }

  @Test
  void entries_are_per_tenant(Vertx vertx) {
    Stores stores = open(vertx);
    DlqEntry mine = moveToDlq(stores, "acme", T0 + "-1");
    moveToDlq(stores, "globex", T0 + "-2");
    moveToDlq(stores, "acme-corp", T0 + "-3");
    assertEquals(List.of(mine.dlqId()), dlqIds(await(stores.dlq().list("acme", null, 10))));
    assertEquals(Optional.empty(), await(stores.dlq().find("globex", mine.dlqId())));
    assertFalse(await(stores.dlq().delete("globex", mine.dlqId())));
    assertEquals(List.of(), await(stores.dlq().list("nobody", null, 10)));
  }

  @Test
  void count_is_per_tenant_and_follows_deletes(Vertx vertx) {
    Stores stores = open(vertx);
    DlqEntry first = moveToDlq(stores, "acme", T0 + "-1");
    moveToDlq(stores, "acme", T0 + "-2");
    moveToDlq(stores, "acme-corp", T0 + "-3");
    assertEquals(2L, await(stores.dlq().count("acme")));
    assertEquals(1L, await(stores.dlq().count("acme-corp")));
    assertEquals(0L, await(stores.dlq().count("nobody")));
    await(stores.dlq().delete("acme", first.dlqId()));
    assertEquals(1L, await(stores.dlq().count("acme")));
  }

  @Test
  void find_returns_the_message_and_its_last_attempt(Vertx vertx) {
    Stores stores = open(vertx);
    DlqEntry entry = moveToDlq(stores, "acme", T0 + "-7");
    assertSameEntry(entry, await(stores.dlq().find("acme", entry.dlqId())).orElseThrow());
    assertEquals(Optional.empty(), await(stores.dlq().find("acme", T0 + "-8")));
    assertEquals(Optional.empty(), await(stores.dlq().find("acme", "not-a-dlq-id")));
  }

  @Test
  void delete_removes_one_entry_and_says_whether_it_was_there(Vertx vertx) {
    Stores stores = open(vertx);
    DlqEntry first = moveToDlq(stores, "acme", T0 + "-1");
    DlqEntry second = moveToDlq(stores, "acme", T0 + "-2");
    DlqEntry third = moveToDlq(stores, "acme", T0 + "-3");
    assertTrue(await(stores.dlq().delete("acme", second.dlqId())));
    assertFalse(await(stores.dlq().delete("acme", second.dlqId())));
    assertEquals(Optional.empty(), await(stores.dlq().find("acme", second.dlqId())));
    assertEquals(
        List.of(first.dlqId(), third.dlqId()), dlqIds(await(stores.dlq().list("acme", null, 10))));
    // a cursor at a deleted entry still continues after it
    assertEquals(
        List.of(third.dlqId()), dlqIds(await(stores.dlq().list("acme", second.dlqId(), 10))));
  }

  @Test
  void ids_that_are_not_millis_dash_seq_still_work(Vertx vertx) {
    Stores stores = open(vertx);
    DlqEntry odd = moveToDlq(stores, "acme", "custom-id");
    DlqEntry padded = moveToDlq(stores, "acme", "1000-09");
    DlqEntry plain = moveToDlq(stores, "acme", "1000-9");
    assertSameEntry(odd, await(stores.dlq().find("acme", "custom-id")).orElseThrow());
    assertSameEntry(padded, await(stores.dlq().find("acme", "1000-09")).orElseThrow());
    assertSameEntry(plain, await(stores.dlq().find("acme", "1000-9")).orElseThrow());
    assertEquals(3, await(stores.dlq().list("acme", null, 10)).size());
    assertTrue(await(stores.dlq().delete("acme", "custom-id")));
  }

  @Test
  void entries_survive_close_and_reopen(Vertx vertx) {
    Stores stores = open(vertx);
    DlqEntry entry = moveToDlq(stores, "acme", T0 + "-1");
    Stores reopened = reopen(vertx, stores);
    assertSameEntry(entry, await(reopened.dlq().find("acme", entry.dlqId())).orElseThrow());
    assertEquals(List.of(entry.dlqId()), dlqIds(await(reopened.dlq().list("acme", null, 10))));
  }

  private static DlqEntry moveToDlq(Stores stores, String tenant, String dlqId) {
    Message m = message(tenant, T0);
    DlqEntry entry = dlqEntry(dlqId, m);
    await(stores.messages().append(List.of(m)));
    await(stores.messages().moveToDlq(m, entry));
    return entry;
  }

  private static List<String> dlqIds(List<DlqEntry> entries) {
    return entries.stream().map(DlqEntry::dlqId).toList();
  }
}
