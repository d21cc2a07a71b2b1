package dev.ferry.store.embedded;

import static dev.ferry.store.StoreFixtures.T0;
import static dev.ferry.store.StoreFixtures.attempt;
import static dev.ferry.store.StoreFixtures.await;
import static dev.ferry.store.StoreFixtures.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.ferry.model.DueEntry;
import dev.ferry.model.Message;
import dev.ferry.store.StoreFixtures;
import dev.ferry.store.codec.MessageCodec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksIterator;

/**
 * Where the embedded store keeps the due index of unqueued messages ({@link DueRows}): a message
 * whose id holds its due time has no due row until a retry moves it, and a store written before
 * that had rows for them all, which the first open drops.
 */
class DueRowsTest {
  @TempDir Path dataDir;

  @AfterEach
  void mint_ordinary_ids_again() {
    StoreFixtures.mintDueTimeIds(false);
  }

  @Test
  void a_message_whose_id_holds_its_due_time_has_no_due_row_until_a_retry_moves_it()
      throws Exception {
    StoreFixtures.mintDueTimeIds(true);
    Message m = message("acme", T0);
    StoreFixtures.mintDueTimeIds(false);
    Message foreign = message("acme", T0); // an id that does not hold T0
    EmbeddedStores stores = await(EmbeddedStores.open(dataDir));
    await(stores.messages().append(List.of(m, foreign)));
    stores = reopenCounting(stores, 1);

    Message retried = m.retriedAt(T0 + 5000);
    await(stores.messages().reschedule(m, retried, attempt(500)));
    assertEquals(
        List.of(new DueEntry(T0, foreign.id()), new DueEntry(T0 + 5000, m.id())),
        await(stores.messages().scanDue(0, "", Long.MAX_VALUE, 10)));
    stores = reopenCounting(stores, 2);

    await(stores.messages().markAllDelivered(List.of(retried, foreign)));
    await(stores.close());
    assertEquals(0, dueRows());
  }

  @Test
  void the_first_open_of_an_older_store_drops_the_due_rows_ids_now_hold() throws Exception {
    StoreFixtures.mintDueTimeIds(true);
    Message m = message("acme", T0);
    StoreFixtures.mintDueTimeIds(false);
    Message foreign = message("acme", T0 + 1);
    try (EmbeddedDb db = EmbeddedDb.open(dataDir)) { // as a Ferry before DueRows wrote them
      for (Message each : List.of(m, foreign)) {
        db.db().put(db.messages(), Keys.message(each.id()), MessageCodec.encode(each));
        db.db().put(db.due(), Keys.due(each.dueAt(), each.id()), Keys.EMPTY);
      }
    }

    EmbeddedStores stores = await(EmbeddedStores.open(dataDir));
    assertEquals(
        List.of(new DueEntry(T0, m.id()), new DueEntry(T0 + 1, foreign.id())),
        await(stores.messages().scanDue(0, "", Long.MAX_VALUE, 10)));
    await(stores.close());
    assertEquals(1, dueRows());
    try (EmbeddedDb db = EmbeddedDb.open(dataDir)) {
      assertNotNull(db.db().get(db.defaultFamily(), Keys.DUE_ROWS_SEPARATE_ONLY));
    }
  }

  private EmbeddedStores reopenCounting(EmbeddedStores stores, int expectedRows) throws Exception {
    await(stores.close());
    assertEquals(expectedRows, dueRows());
    return await(EmbeddedStores.open(dataDir));
  }

  private int dueRows() throws Exception {
    int rows = 0;
    try (EmbeddedDb db = EmbeddedDb.open(dataDir);
        RocksIterator it = db.db().newIterator(db.due())) {
      for (it.seekToFirst(); it.isValid(); it.next()) rows++;
    }
    return rows;
  }
}
