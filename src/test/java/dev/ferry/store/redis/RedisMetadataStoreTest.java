package dev.ferry.store.redis;

import dev.ferry.config.RedisConfig;
import dev.ferry.store.MetadataStoreContract;
import dev.ferry.store.Stores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** {@link MetadataStoreContract} on a real redis-server. */
class RedisMetadataStoreTest extends MetadataStoreContract {
  private final RedisConfig config = SharedRedis.freshConfig();

  @Override
  protected Future<Stores> newStores(Vertx vertx) {
    return SharedRedis.open(vertx, config);
  }
}
