package dev.ferry.store.redis;

import dev.ferry.config.RedisConfig;
import dev.ferry.store.MessageStoreDedupContract;
import dev.ferry.store.Stores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** {@link MessageStoreDedupContract} on a real 3-primary Redis Cluster ({@code mode: cluster}). */
class RedisClusterMessageStoreDedupTest extends MessageStoreDedupContract {
  private final RedisConfig config = SharedRedisCluster.freshConfig();

  @Override
  protected Future<Stores> newStores(Vertx vertx) {
    return SharedRedisCluster.open(vertx, config);
  }
}
