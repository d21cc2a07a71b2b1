package dev.ferry.store.redis;

import dev.ferry.config.RedisConfig;
import dev.ferry.store.MessageStoreQueueContract;
import dev.ferry.store.Stores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** {@link MessageStoreQueueContract} on a real redis-server. */
class RedisMessageStoreQueueTest extends MessageStoreQueueContract {
  private final RedisConfig config = SharedRedis.freshConfig();

  @Override
  protected Future<Stores> newStores(Vertx vertx) {
    return SharedRedis.open(vertx, config);
  }
}
