package dev.ferry.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.NodeProject;
import dev.ferry.testing.Polls;
import dev.ferry.testing.TestFerry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code kill -9} of Ferry in the middle of a 20-step workflow run of the official SDK: after the
 * restart the run completes, and every step's result is the one the SDK recorded (node script
 * {@code src/test/node/workflow-crash/twenty.mjs} checks it against Ferry's run log). Also prints
 * how long a 20-step run takes end to end without a crash.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class WorkflowCrashTest {
  @TempDir Path dir;

  @Test
  void a_run_killed_mid_way_completes_after_restart_with_every_step_as_recorded(Vertx vertx)
      throws Exception {
    NodeProject node = SdkCompatibilityTest.NODE;
    node.ensureDependencies();
    JsonObject devTenant =
        new JsonObject()
            .put("name", "defaultUser")
            .put("tokens", new JsonArray().add(SdkCompatibilityTest.DEV_TOKEN))
            .put("currentSigningKey", SdkCompatibilityTest.DEV_CURRENT_KEY)
            .put("nextSigningKey", SdkCompatibilityTest.DEV_NEXT_KEY);
    Path marker = dir.resolve("step-8");
    try (FerryProcess ferry =
        FerryProcess.create(
            vertx,
            dir,
            new JsonObject().put("tenants", new JsonArray().add(devTenant).add(crashTenant())))) {
      ferry.startAndAwaitUp();
      String url = "http://127.0.0.1:" + ferry.port();
      CompletableFuture<NodeProject.Run> run =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return node.run(
                      List.of(node.tool("node").toString(), "workflow-crash/twenty.mjs"),
                      Map.of(
                          "FERRY_URL",
                          url,
                          "QSTASH_URL",
                          url,
                          "QSTASH_TOKEN",
                          SdkCompatibilityTest.DEV_TOKEN,
                          "QSTASH_CURRENT_SIGNING_KEY",
                          SdkCompatibilityTest.DEV_CURRENT_KEY,
                          "QSTASH_NEXT_SIGNING_KEY",
                          SdkCompatibilityTest.DEV_NEXT_KEY,
                          "CRASH_MARKER",
                          marker.toString()),
                      Duration.ofMinutes(4));
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      Polls.within(Duration.ofMinutes(2)).until(() -> Files.exists(marker) || run.isDone());
      assertTrue(Files.exists(marker), () -> "the run never reached step 8: " + outputOf(run));
      ferry.kill9();
      ferry.startAndAwaitUp();

      NodeProject.Run done = run.get(4, TimeUnit.MINUTES);
      System.out.println(done.output());
      assertEquals(0, done.exitCode(), done.output());
      assertTrue(done.output().contains("TWENTY_STEP_CRASH_OK"), done.output());
    }
  }

  /** The tenant {@link FerryProcess} waits for Ferry with. */
  private static JsonObject crashTenant() {
    return new JsonObject()
        .put("name", "crash")
        .put("tokens", new JsonArray().add(FerryProcess.TOKEN))
        .put("currentSigningKey", TestFerry.CURRENT_KEY)
        .put("nextSigningKey", TestFerry.NEXT_KEY);
  }

  private static String outputOf(CompletableFuture<NodeProject.Run> run) {
    return run.isDone() ? run.join().output() : "(node still running)";
  }
}
