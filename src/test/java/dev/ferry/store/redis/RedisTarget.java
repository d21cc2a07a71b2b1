package dev.ferry.store.redis;

import dev.ferry.config.RedisConfig;
import dev.ferry.testing.RedisServer;
import java.io.IOException;
import java.util.List;

/**
 * Where a Redis test's stores and leases live: a fresh standalone {@code redis-server} of its own,
 * or the JVM's shared 3-primary Cluster ({@link SharedRedisCluster}) under a fresh key prefix.
 * Tests that must hold on both run once per kind (a Cluster subclass overrides the target).
 */
interface RedisTarget extends AutoCloseable {
  /** Settings naming this Redis (endpoints, mode) and a key prefix nothing else uses. */
  RedisConfig config();

  @Override
  void close() throws Exception;

  /** A {@code redis-server} started for this target, stopped by {@link #close}. */
  static RedisTarget standalone() throws IOException {
    RedisServer server = RedisServer.start();
    RedisConfig config = RedisConfig.DEFAULTS.withEndpoints(List.of(server.url()));
    return new RedisTarget() {
      @Override
      public RedisConfig config() {
        return config;
      }

      @Override
      public void close() throws Exception {
        server.close();
      }
    };
  }

  /** The shared Cluster under a fresh key prefix; {@link #close} leaves the cluster running. */
  static RedisTarget cluster() {
    RedisConfig config = SharedRedisCluster.freshConfig();
    return new RedisTarget() {
      @Override
      public RedisConfig config() {
        return config;
      }

      @Override
      public void close() {}
    };
  }
}
