package dev.ferry.store.redis;

import dev.ferry.config.RedisConfig;
import dev.ferry.store.MessageStoreContract;
import dev.ferry.store.Stores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** {@link MessageStoreContract} on a real redis-server. */
class RedisMessageStoreTest extends MessageStoreContract {
  private final RedisConfig config = SharedRedis.freshConfig();

  @Override
  protected Future<Stores> newStores(Vertx vertx) {
    return SharedRedis.open(vertx, config);
  }
}
