package dev.ferry.sdk;

import dev.ferry.store.StoreBackends;
import dev.ferry.testing.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official SDK suite of {@link SdkCompatibilityTest} against one Ferry on the Redis store (a
 * real redis-server, AOF {@code always}): every API behaves as on the embedded store.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class RedisSdkCompatibilityTest {
  @TempDir Path dataDir;

  @Test
  void official_js_sdk_drives_ferry_on_redis(Vertx vertx) throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      SdkCompatibilityTest.assertSuitePassesOn(
          vertx,
          SdkCompatibilityTest.configs(dataDir)
              .set("storage.kind", StoreBackends.REDIS)
              .set("storage.redis.endpoints", List.of(redis.url()))
              .build());
    }
  }
}
