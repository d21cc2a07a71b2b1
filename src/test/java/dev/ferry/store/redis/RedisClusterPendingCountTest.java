package dev.ferry.store.redis;

import dev.ferry.config.RedisConfig;
import dev.ferry.store.PendingCountContract;
import dev.ferry.store.Stores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** {@link PendingCountContract} on a real 3-primary Redis Cluster: every script stays in a slot. */
class RedisClusterPendingCountTest extends PendingCountContract {
  private final RedisConfig config = SharedRedisCluster.freshConfig();

  @Override
  protected Future<Stores> newStores(Vertx vertx) {
    return SharedRedisCluster.open(vertx, config);
  }
}
