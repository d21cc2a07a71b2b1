package dev.ferry.store.redis;

import dev.ferry.config.RedisConfig;
import dev.ferry.store.PendingCountContract;
import dev.ferry.store.Stores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** {@link PendingCountContract} on a real redis-server. */
class RedisPendingCountTest extends PendingCountContract {
  private final RedisConfig config = SharedRedis.freshConfig();

  @Override
  protected Future<Stores> newStores(Vertx vertx) {
    return SharedRedis.open(vertx, config);
  }
}
