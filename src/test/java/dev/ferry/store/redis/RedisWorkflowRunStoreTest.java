package dev.ferry.store.redis;

import dev.ferry.config.RedisConfig;
import dev.ferry.store.Stores;
import dev.ferry.store.WorkflowRunStoreContract;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** {@link WorkflowRunStoreContract} on a real redis-server. */
class RedisWorkflowRunStoreTest extends WorkflowRunStoreContract {
  private final RedisConfig config = SharedRedis.freshConfig();

  @Override
  protected Future<Stores> newStores(Vertx vertx) {
    return SharedRedis.open(vertx, config);
  }
}
