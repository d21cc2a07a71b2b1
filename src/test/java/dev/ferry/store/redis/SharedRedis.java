package dev.ferry.store.redis;

import dev.ferry.config.RedisConfig;
import dev.ferry.store.StoreMetrics;
import dev.ferry.store.Stores;
import dev.ferry.testing.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@code redis-server} for every Redis contract test of the JVM (started on first use, stopped
 * at exit), each test under a key prefix of its own, so tests start from nothing without flushing a
 * server another test uses.
 */
final class SharedRedis {
  private static final AtomicLong PREFIXES = new AtomicLong();
  private static final OncePerJvm<RedisServer> SERVER = new OncePerJvm<>(RedisServer::start);

  private SharedRedis() {}

  static RedisServer server() {
    return SERVER.get();
  }

  /** Settings for a store of its own on the shared server. */
  static RedisConfig freshConfig() {
    return RedisConfig.DEFAULTS
        .withEndpoints(List.of(server().url()))
        .withKeyPrefix("t" + PREFIXES.incrementAndGet() + ":");
  }

  static Future<Stores> open(Vertx vertx, RedisConfig config) {
    return RedisStores.open(vertx, config, StoreMetrics.NONE).map(s -> s);
  }
}
