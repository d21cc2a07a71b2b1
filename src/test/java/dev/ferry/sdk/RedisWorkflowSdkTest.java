package dev.ferry.sdk;

import dev.ferry.Ferry;
import dev.ferry.store.StoreBackends;
import dev.ferry.testing.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Upstash Workflow suite of {@link WorkflowSdkTest} against one Ferry on the Redis store (a
 * real redis-server): workflow runs and their steps live in Redis.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class RedisWorkflowSdkTest {
  @TempDir Path dataDir;

  @Test
  void official_workflow_sdk_runs_workflows_on_ferry_on_redis(Vertx vertx) throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      Ferry ferry =
          Ferry.start(
                  vertx,
                  SdkCompatibilityTest.configs(dataDir)
                      .set("delivery.maxResponseBodyBytes", 256 * 1024)
                      .set("storage.kind", StoreBackends.REDIS)
                      .set("storage.redis.endpoints", List.of(redis.url()))
                      .build())
              .await(30, TimeUnit.SECONDS);
      try {
        String url = "http://127.0.0.1:" + ferry.port();
        SdkCompatibilityTest.assertNodeTestsPass(
            WorkflowSdkTest.testFiles(SdkCompatibilityTest.NODE.dir()),
            4,
            Map.of(
                "FERRY_URL", url,
                "QSTASH_URL", url,
                "QSTASH_TOKEN", SdkCompatibilityTest.DEV_TOKEN,
                "QSTASH_CURRENT_SIGNING_KEY", SdkCompatibilityTest.DEV_CURRENT_KEY,
                "QSTASH_NEXT_SIGNING_KEY", SdkCompatibilityTest.DEV_NEXT_KEY));
      } finally {
        ferry.close().await(30, TimeUnit.SECONDS);
      }
    }
  }
}
