package dev.ferry.store.embedded;

import dev.ferry.store.MessageStoreContract;
import dev.ferry.store.StoreFixtures;
import dev.ferry.store.Stores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The message store contract with ids as ingest mints them for unqueued messages, holding their due
 * time: the embedded store then keeps no due row for them and finds them by their records ({@link
 * DueScan}), until a retry moves one to a row.
 */
class EmbeddedMessageStoreDueIdsTest extends MessageStoreContract {
  @TempDir Path dataDir;

  @Override
  protected Future<Stores> newStores(Vertx vertx) {
    StoreFixtures.mintDueTimeIds(true);
    return EmbeddedStores.open(dataDir).map(Stores.class::cast);
  }
}
