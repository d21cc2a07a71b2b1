package dev.ferry.store.redis;

import dev.ferry.config.RedisConfig;
import dev.ferry.store.MetadataStoreContract;
import dev.ferry.store.Stores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** {@link MetadataStoreContract} on a real 3-primary Redis Cluster ({@code mode: cluster}). */
class RedisClusterMetadataStoreTest extends MetadataStoreContract {
  private final RedisConfig config = SharedRedisCluster.freshConfig();

  @Override
  protected Future<Stores> newStores(Vertx vertx) {
    return SharedRedisCluster.open(vertx, config);
  }
}
