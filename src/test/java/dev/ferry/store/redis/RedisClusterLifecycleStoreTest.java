package dev.ferry.store.redis;

import dev.ferry.config.RedisConfig;
import dev.ferry.store.LifecycleStoreContract;
import dev.ferry.store.Stores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** {@link LifecycleStoreContract} on a real 3-primary Redis Cluster ({@code mode: cluster}). */
class RedisClusterLifecycleStoreTest extends LifecycleStoreContract {
  private final RedisConfig config = SharedRedisCluster.freshConfig();

  @Override
  protected Future<Stores> newStores(Vertx vertx) {
    return SharedRedisCluster.open(vertx, config);
  }
}
