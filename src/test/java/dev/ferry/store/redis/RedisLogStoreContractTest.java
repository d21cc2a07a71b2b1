package dev.ferry.store.redis;

import dev.ferry.config.FerryConfig;
import dev.ferry.store.LogStoreContract;
import dev.ferry.store.StoreBackend;
import dev.ferry.store.StoreBackends;
import dev.ferry.store.StoreMetrics;
import dev.ferry.testing.TestConfigs;
import dev.ferry.testing.TestFerry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

/** The log store contract on a real redis-server, opened as Ferry opens it. */
class RedisLogStoreContractTest extends LogStoreContract {
  @TempDir Path dataDir;
  private final FerryConfig.Storage storage =
      new FerryConfig.Storage(StoreBackends.REDIS, Path.of("unused"), SharedRedis.freshConfig());

  @Override
  protected Future<StoreBackend> newBackend(Vertx vertx, Clock clock) {
    FerryConfig config = TestConfigs.withStorage(TestFerry.config(dataDir), storage);
    return StoreBackends.open(vertx, config, StoreMetrics.NONE, clock);
  }
}
