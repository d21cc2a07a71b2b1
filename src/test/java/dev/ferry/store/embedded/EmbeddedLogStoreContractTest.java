package dev.ferry.store.embedded;

import dev.ferry.store.LogStoreContract;
import dev.ferry.store.StoreBackend;
import dev.ferry.store.StoreBackends;
import dev.ferry.store.StoreMetrics;
import dev.ferry.testing.TestFerry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

/** The log store contract on the embedded backend, opened as Ferry opens it. */
class EmbeddedLogStoreContractTest extends LogStoreContract {
  @TempDir Path dataDir;

  @Override
  protected Future<StoreBackend> newBackend(Vertx vertx, Clock clock) {
    return StoreBackends.open(vertx, TestFerry.config(dataDir), StoreMetrics.NONE, clock);
  }
}
