package dev.ferry.sdk;

import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.FerryReplicas;
import dev.ferry.testing.RoundRobinProxy;
import dev.ferry.testing.TestConfigs;
import dev.ferry.testing.TestFerry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official SDK suite of {@link SdkCompatibilityTest} against three Ferry replicas (child JVMs)
 * on one Redis behind a proxy that sends each request to the next replica: a message published on
 * one is read, cancelled, retried or listed on another, and every API behaves as on one process.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class ReplicasSdkCompatibilityTest {
  @TempDir Path dir;

  @Test
  void official_js_sdk_drives_three_replicas_behind_a_round_robin_proxy(Vertx vertx)
      throws Exception {
    try (FerryReplicas replicas =
        FerryReplicas.start(vertx, dir, 3, 16, Duration.ofSeconds(5), overrides())) {
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < replicas.count(); i++) ports.add(replicas.replica(i).port());
      try (RoundRobinProxy proxy = RoundRobinProxy.start(vertx, ports)) {
        SdkCompatibilityTest.assertSuitePasses(proxy.port());
      }
    }
  }

  /**
   * What {@link SdkCompatibilityTest#configs} sets, as a child's configuration, keeping the tenant
   * whose token {@link FerryReplicas} asks with to see a replica up.
   */
  private static JsonObject overrides() {
    return new JsonObject()
        .put(
            "limits",
            new JsonObject().put("maxQueues", 20).put("maxUrlGroups", 20).put("maxSchedules", 20))
        .put(
            "tenants",
            new JsonArray()
                .add(
                    TestConfigs.tenant(
                        "crash", FerryProcess.TOKEN, TestFerry.CURRENT_KEY, TestFerry.NEXT_KEY))
                .add(
                    TestConfigs.tenant(
                        "defaultUser",
                        SdkCompatibilityTest.DEV_TOKEN,
                        SdkCompatibilityTest.DEV_CURRENT_KEY,
                        SdkCompatibilityTest.DEV_NEXT_KEY))
                .add(
                    TestConfigs.tenant(
                        "rotation",
                        SdkCompatibilityTest.ROTATION_TOKEN,
                        SdkCompatibilityTest.ROTATION_CURRENT_KEY,
                        SdkCompatibilityTest.ROTATION_NEXT_KEY)));
  }
}
