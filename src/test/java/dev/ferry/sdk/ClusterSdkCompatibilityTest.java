package dev.ferry.sdk;

import dev.ferry.store.StoreBackends;
import dev.ferry.testing.RedisCluster;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official SDK suite of {@link SdkCompatibilityTest} against Ferry on a 3-primary Redis Cluster
 * ({@code storage.redis.mode: cluster}): every script keeps its keys in one slot, and every API
 * behaves as on one Redis.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class ClusterSdkCompatibilityTest {
  @TempDir Path dataDir;

  @Test
  void official_js_sdk_drives_ferry_on_a_redis_cluster(Vertx vertx) throws Exception {
    try (RedisCluster cluster = RedisCluster.start()) {
      SdkCompatibilityTest.assertSuitePassesOn(
          vertx,
          SdkCompatibilityTest.configs(dataDir)
              .set("storage.kind", StoreBackends.REDIS)
              .set("storage.redis.mode", "cluster")
              .set("storage.redis.endpoints", cluster.endpoints())
              .build());
    }
  }
}
