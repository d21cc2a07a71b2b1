package dev.ferry.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.Ferry;
import dev.ferry.testing.NodeProject;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the Upstash Workflow suite in {@code src/test/node/workflow}: the official {@code
 * @upstash/workflow} SDK, unchanged, serving workflows from an Express app on loopback, with runs
 * started by its {@code Client}, against an in-process Ferry (the same tenant as {@link
 * SdkCompatibilityTest}). The endpoint verifies every delivery's signature with the tenant's keys.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class WorkflowSdkTest {
  static final Duration SUITE_TIMEOUT = Duration.ofMinutes(3);

  @TempDir Path dataDir;

  @Test
  void official_workflow_sdk_runs_workflows_on_ferry(Vertx vertx) throws Exception {
    NodeProject node = SdkCompatibilityTest.NODE;
    Path binary = node.tool("node");
    node.ensureDependencies();
    Ferry ferry =
        Ferry.start(vertx, SdkCompatibilityTest.config(dataDir, 256 * 1024))
            .await(30, TimeUnit.SECONDS);
    try {
      String url = "http://127.0.0.1:" + ferry.port();
      List<String> command =
          new ArrayList<>(
              List.of(binary.toString(), "--test", "--test-reporter=spec", "--test-concurrency=4"));
      command.addAll(testFiles(node.dir()));
      NodeProject.Run run =
          node.run(
              command,
              Map.of(
                  "FERRY_URL", url,
                  "QSTASH_URL", url,
                  "QSTASH_TOKEN", SdkCompatibilityTest.DEV_TOKEN,
                  "QSTASH_CURRENT_SIGNING_KEY", SdkCompatibilityTest.DEV_CURRENT_KEY,
                  "QSTASH_NEXT_SIGNING_KEY", SdkCompatibilityTest.DEV_NEXT_KEY),
              SUITE_TIMEOUT);

      assertEquals(0, run.exitCode(), () -> "node --test failed; its output:\n" + run.output());
      int tests = SdkCompatibilityTest.count(run.output(), "tests");
      assertTrue(tests > 0, () -> "node ran no test; its output:\n" + run.output());
      assertEquals(
          tests,
          SdkCompatibilityTest.count(run.output(), "pass"),
          () -> "not every workflow test passed (a skip counts as a failure):\n" + run.output());
    } finally {
      ferry.close().await(30, TimeUnit.SECONDS);
    }
  }

  /**
   * The workflow suite's files, relative to the Node project; with {@code -Dworkflow.tests=a,b}
   * only the files whose names start with one of those (to run one area while working on it).
   */
  static List<String> testFiles(Path dir) throws IOException {
    String only = System.getProperty("workflow.tests", "");
    List<String> prefixes = only.isBlank() ? List.of("") : List.of(only.split(","));
    try (Stream<Path> files = Files.list(dir.resolve("workflow"))) {
      return files
          .map(p -> "workflow/" + p.getFileName())
          .filter(n -> n.endsWith(".test.mjs"))
          .filter(n -> prefixes.stream().anyMatch(p -> n.startsWith("workflow/" + p.trim())))
          .sorted()
          .toList();
    }
  }
}
