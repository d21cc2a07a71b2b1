package dev.ferry.store.embedded;

import dev.ferry.store.PendingCountContract;
import dev.ferry.store.Stores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPendingCountTest extends PendingCountContract {
  @TempDir Path dataDir;

  @Override
  protected Future<Stores> newStores(Vertx vertx) {
    return EmbeddedStores.open(dataDir).map(Stores.class::cast);
  }
}
