package dev.ferry.store.redis;

import dev.ferry.config.RedisConfig;
import dev.ferry.store.StoreMetrics;
import dev.ferry.store.Stores;
import dev.ferry.testing.RedisCluster;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One 3-primary Redis Cluster for every Cluster test of the JVM (formed on first use, stopped at
 * exit: forming one takes seconds), each test under a key prefix of its own, so tests start from
 * nothing without flushing nodes another test uses.
 */
final class SharedRedisCluster {
  private static final AtomicLong PREFIXES = new AtomicLong();
  private static final OncePerJvm<RedisCluster> CLUSTER = new OncePerJvm<>(RedisCluster::start);

  private SharedRedisCluster() {}

  static RedisCluster cluster() {
    return CLUSTER.get();
  }

  /** Settings for a store of its own on the shared cluster ({@code mode: cluster}). */
  static RedisConfig freshConfig() {
    return RedisConfig.DEFAULTS
        .withEndpoints(cluster().endpoints())
        .withMode(RedisConfig.CLUSTER, "")
        .withKeyPrefix("c" + PREFIXES.incrementAndGet() + ":");
  }

  static Future<Stores> open(Vertx vertx, RedisConfig config) {
    return RedisStores.open(vertx, config, StoreMetrics.NONE).map(s -> s);
  }
}
