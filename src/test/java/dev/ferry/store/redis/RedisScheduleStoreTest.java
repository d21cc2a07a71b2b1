package dev.ferry.store.redis;

import dev.ferry.config.RedisConfig;
import dev.ferry.store.ScheduleStoreContract;
import dev.ferry.store.Stores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** {@link ScheduleStoreContract} on a real redis-server. */
class RedisScheduleStoreTest extends ScheduleStoreContract {
  private final RedisConfig config = SharedRedis.freshConfig();

  @Override
  protected Future<Stores> newStores(Vertx vertx) {
    return SharedRedis.open(vertx, config);
  }
}
