package dev.ferry.store.redis;

import dev.ferry.config.RedisConfig;
import dev.ferry.store.MessageStoreDedupContract;
import dev.ferry.store.Stores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** {@link MessageStoreDedupContract} on a real redis-server. */
class RedisMessageStoreDedupTest extends MessageStoreDedupContract {
  private final RedisConfig config = SharedRedis.freshConfig();

  @Override
  protected Future<Stores> newStores(Vertx vertx) {
    return SharedRedis.open(vertx, config);
  }
}
