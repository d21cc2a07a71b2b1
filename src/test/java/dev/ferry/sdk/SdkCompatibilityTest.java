package dev.ferry.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.Ferry;
import dev.ferry.config.FerryConfig;
import dev.ferry.testing.NodeProject;
import dev.ferry.testing.TestConfigs;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the Node suite in {@code src/test/node} (the official {@code @upstash/qstash} SDK and its
 * {@code Receiver}) against an in-process Ferry whose tenant has the SDK dev mode's credentials, on
 * the JUnit thread.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class SdkCompatibilityTest {
  /**
   * The defaultUser of {@code qstash-cli dev} (docs/compatibility.md#the-dev-server), so the SDK's
   * devMode: true also finds Ferry.
   */
  static final String DEV_TOKEN =
      "eyJVc2VySUQiOiJkZWZhdWx0VXNlciIsIlBhc3N3b3JkIjoiZGVmYXVsdFBhc3N3b3JkIn0=";

  static final String DEV_CURRENT_KEY = "sig_7kYjw48mhY7kAjqNGcy6cr29RJ6r";
  static final String DEV_NEXT_KEY = "sig_5ZB6DVzB1wjE8S6rZ7eenA8Pdnhs";

  /**
   * A second tenant whose keys rotation.test.mjs rotates, so the dev tenant's keys never change
   * mid-run.
   */
  static final String ROTATION_TOKEN = "sdk-rotation-token";

  static final String ROTATION_CURRENT_KEY = "sig_RotationCurrent0000000000000";
  static final String ROTATION_NEXT_KEY = "sig_RotationNext000000000000000";

  static final NodeProject NODE =
      new NodeProject(
          Path.of("src", "test", "node"), "the @upstash/qstash compatibility suite", "[sdk] ");
  static final Duration SUITE_TIMEOUT = Duration.ofMinutes(3);

  @TempDir Path dataDir;

  @Test
  void official_js_sdk_drives_ferry_and_every_delivery_passes_its_receiver(Vertx vertx)
      throws Exception {
    assertSuitePassesOn(vertx, config(dataDir));
  }

  /**
   * Starts a Ferry with {@code config}, runs every {@code *.test.mjs} against it, closes it; fails
   * unless each test passed.
   */
  static void assertSuitePassesOn(Vertx vertx, FerryConfig config) throws Exception {
    Ferry ferry = Ferry.start(vertx, config).await(30, TimeUnit.SECONDS);
    try {
      assertSuitePasses(ferry.port());
    } finally {
      ferry.close().await(30, TimeUnit.SECONDS);
    }
  }

  /** The same against whatever serves Ferry's API on {@code port} of 127.0.0.1. */
  static void assertSuitePasses(int port) throws Exception {
    assertNodeTestsPass(
        testFiles(),
        5,
        Map.of(
            "FERRY_URL", "http://127.0.0.1:" + port,
            "QSTASH_TOKEN", DEV_TOKEN,
            "QSTASH_CURRENT_SIGNING_KEY", DEV_CURRENT_KEY,
            "QSTASH_NEXT_SIGNING_KEY", DEV_NEXT_KEY,
            "FERRY_ROTATION_TOKEN", ROTATION_TOKEN,
            "FERRY_ROTATION_CURRENT_SIGNING_KEY", ROTATION_CURRENT_KEY,
            "FERRY_ROTATION_NEXT_SIGNING_KEY", ROTATION_NEXT_KEY));
  }

  /**
   * Runs {@code node --test} on {@code files} of the Node project with {@code environment}; fails
   * unless it ran tests and each passed (a skip counts as a failure).
   */
  static void assertNodeTestsPass(
      List<String> files, int concurrency, Map<String, String> environment) throws Exception {
    Path node = NODE.tool("node");
    NODE.ensureDependencies();
    List<String> command =
        new ArrayList<>(
            List.of(
                node.toString(),
                "--test",
                "--test-reporter=spec",
                "--test-concurrency=" + concurrency));
    command.addAll(files);
    NodeProject.Run run = NODE.run(command, environment, SUITE_TIMEOUT);

    assertEquals(0, run.exitCode(), () -> "node --test failed; its output:\n" + run.output());
    int tests = count(run.output(), "tests");
    assertTrue(tests > 0, () -> "node ran no test; its output:\n" + run.output());
    assertEquals(
        tests,
        count(run.output(), "pass"),
        () -> "not every Node test passed (a skip counts as a failure here):\n" + run.output());
  }

  /**
   * The dev-server tenant plus the rotation tenant; limits roomy enough for the suite; no fixed
   * port.
   */
  static FerryConfig config(Path dataDir) {
    return configs(dataDir).build();
  }

  /**
   * As {@link #config(Path)}, keeping {@code maxResponseBodyBytes} of each response (the failure
   * function of a workflow reads the endpoint's whole error answer, stack trace included).
   */
  static FerryConfig config(Path dataDir, int maxResponseBodyBytes) {
    return configs(dataDir).set("delivery.maxResponseBodyBytes", maxResponseBodyBytes).build();
  }

  /** {@link #config}, to change a few keys of. */
  static TestConfigs configs(Path dataDir) {
    return TestConfigs.of(dataDir)
        .set("limits.maxQueues", 20)
        .set("limits.maxUrlGroups", 20)
        .set("limits.maxSchedules", 20)
        .set("shutdown.gracePeriod", "30s")
        .tenants(
            TestConfigs.tenant("defaultUser", DEV_TOKEN, DEV_CURRENT_KEY, DEV_NEXT_KEY),
            TestConfigs.tenant(
                "rotation", ROTATION_TOKEN, ROTATION_CURRENT_KEY, ROTATION_NEXT_KEY));
  }

  static List<String> testFiles() throws IOException {
    try (Stream<Path> files = Files.list(NODE.dir())) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".test.mjs"))
          .sorted()
          .toList();
    }
  }

  /** Reads a closing line of node's spec reporter, e.g. "ℹ pass 15"; -1 when absent. */
  static int count(String output, String what) {
    Matcher m = Pattern.compile("(?m)^\\S* ?" + what + " (\\d+)$").matcher(output);
    int last = -1;
    while (m.find()) last = Integer.parseInt(m.group(1));
    return last;
  }
}
