package dev.ferry.store.redis;

import dev.ferry.config.RedisConfig;
import dev.ferry.store.MessageStoreQueueContract;
import dev.ferry.store.Stores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** {@link MessageStoreQueueContract} on a real 3-primary Redis Cluster ({@code mode: cluster}). */
class RedisClusterMessageStoreQueueTest extends MessageStoreQueueContract {
  private final RedisConfig config = SharedRedisCluster.freshConfig();

  @Override
  protected Future<Stores> newStores(Vertx vertx) {
    return SharedRedisCluster.open(vertx, config);
  }
}
