package dev.ferry.store.embedded;

import static dev.ferry.store.StoreFixtures.T0;
import static dev.ferry.store.StoreFixtures.attempt;
import static dev.ferry.store.StoreFixtures.await;
import static dev.ferry.store.StoreFixtures.message;
import static dev.ferry.store.StoreFixtures.queued;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.model.Message;
import dev.ferry.store.PendingCountContract;
import dev.ferry.store.Stores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksIterator;

/** {@link PendingCountContract} on RocksDB, and the count of a store written before it. */
class EmbeddedPendingCountTest extends PendingCountContract {
  @TempDir Path dataDir;

  @Override
  protected Future<Stores> newStores(Vertx vertx) {
    return EmbeddedStores.open(dataDir).map(Stores.class::cast);
  }

  @Test
  void a_store_written_without_counts_is_counted_once_at_open(Vertx vertx) throws Exception {
    Stores stores = open(vertx);
    Message delivered = message("acme", T0);
    await(
        stores
            .messages()
            .append(
                List.of(delivered, message("acme", T0), queued("acme", "q"), message("b", T0))));
    await(stores.messages().markDelivered(delivered, attempt(200)));
    await(stores.close());
    // what a Ferry that kept no counts leaves: the messages, no count rows and no marker
    try (EmbeddedDb db = EmbeddedDb.open(dataDir);
        RocksIterator it = db.db().newIterator(db.defaultFamily())) {
      db.db().delete(db.defaultFamily(), Keys.PENDING_COUNTS_BUILT);
      for (it.seek(Keys.PENDING_COUNT_PREFIX);
          it.isValid() && Keys.startsWith(it.key(), Keys.PENDING_COUNT_PREFIX);
          it.next()) {
        db.db().delete(db.defaultFamily(), it.key());
      }
    }

    Stores counted = open(vertx);
    assertEquals(2L, await(counted.messages().pendingCount("acme")));
    assertEquals(1L, await(counted.messages().pendingCount("b")));
    await(counted.messages().append(List.of(message("acme", T0))));
    Stores again = reopen(vertx, counted);
    assertEquals(3L, await(again.messages().pendingCount("acme")));
  }
}
