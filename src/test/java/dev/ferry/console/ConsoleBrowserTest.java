package dev.ferry.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ferry.Ferry;
import dev.ferry.testing.NodeProject;
import dev.ferry.testing.TestFerry;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.File;
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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the console's end-to-end suite ({@code src/test/node/console}) in headless Chromium
 * (Debian's {@code chromium}, driven by {@code playwright-core}) against an in-process Ferry with
 * two tenants. Screenshots of each page land in {@code target/console-screenshots}. Without
 * Chromium the test is skipped, or fails when {@code CI=true} ({@code .ci/run} installs it).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class ConsoleBrowserTest {
  static final NodeProject NODE =
      new NodeProject(Path.of("src", "test", "node"), "the console's browser tests", "[console] ");
  static final Duration SUITE_TIMEOUT = Duration.ofMinutes(4);
  static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
  static final String ONLY = System.getProperty("console.tests", "");

  @TempDir Path dataDir;

  @Test
  void console_works_end_to_end_in_headless_chromium(Vertx vertx) throws Exception {
    Path chromium = chromium();
    Path node = NODE.tool("node");
    NODE.ensureDependencies();
    Ferry ferry = Ferry.start(vertx, TestFerry.config(dataDir)).await(30, TimeUnit.SECONDS);
    try {
      String url = "http://127.0.0.1:" + ferry.port();
      long started = System.nanoTime();
      NodeProject.Run run =
          NODE.run(
              command(node),
              Map.ofEntries(
                  Map.entry("FERRY_URL", url),
                  Map.entry("CONSOLE_TOKEN", TestFerry.TOKEN),
                  Map.entry("CONSOLE_OTHER_TOKEN", TestFerry.OTHER_TOKEN),
                  Map.entry("CHROMIUM_PATH", chromium.toString()),
                  Map.entry("SCREENSHOT_DIR", SCREENSHOTS.toAbsolutePath().toString()),
                  // the workflow page's test serves a workflow with the SDK
                  // (src/test/node/workflow), which publishes as tenant a and verifies Ferry's
                  // signatures with its keys
                  Map.entry("QSTASH_URL", url),
                  Map.entry("QSTASH_TOKEN", TestFerry.TOKEN),
                  Map.entry("QSTASH_CURRENT_SIGNING_KEY", TestFerry.CURRENT_KEY),
                  Map.entry("QSTASH_NEXT_SIGNING_KEY", TestFerry.NEXT_KEY)),
              SUITE_TIMEOUT);
      System.out.printf(
          "[console] browser suite took %.1f s%n", (System.nanoTime() - started) / 1e9);

      assertEquals(0, run.exitCode(), () -> "node --test failed; its output:\n" + run.output());
      int tests = count(run.output(), "tests");
      assertTrue(tests > 0, () -> "node ran no test; its output:\n" + run.output());
      assertEquals(
          tests,
          count(run.output(), "pass"),
          () ->
              "not every console test passed (a skip counts as a failure here):\n" + run.output());
      if (ONLY.isBlank()) {
        for (String page :
            List.of(
                "overview",
                "messages",
                "message",
                "dlq",
                "workflows",
                "queues",
                "schedules",
                "phone-overview")) {
          assertTrue(Files.size(SCREENSHOTS.resolve(page + ".png")) > 0, page);
        }
      }
    } finally {
      ferry.close().await(30, TimeUnit.SECONDS);
    }
  }

  /**
   * node's command: the whole suite, or with {@code -Dconsole.tests=a,b} only the files whose names
   * start with one of those (to run one page's tests while working on it).
   */
  static List<String> command(Path node) throws IOException {
    List<String> command =
        new ArrayList<>(List.of(node.toString(), "--test", "--test-reporter=spec"));
    if (ONLY.isBlank()) {
      command.add("console/");
      return command;
    }
    List<String> prefixes = List.of(ONLY.split(","));
    try (Stream<Path> files = Files.list(NODE.dir().resolve("console"))) {
      files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".test.mjs"))
          .filter(n -> prefixes.stream().anyMatch(p -> n.startsWith(p.trim())))
          .sorted()
          .forEach(n -> command.add("console/" + n));
    }
    return command;
  }

  /**
   * {@code CHROMIUM_PATH}, else chromium on PATH, else Debian's; skip locally without it, fail on
   * CI.
   */
  static Path chromium() {
    String configured = System.getenv("CHROMIUM_PATH");
    Path path =
        configured != null
            ? Path.of(configured)
            : Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, "chromium"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElse(Path.of("/usr/bin/chromium"));
    if (!Files.isExecutable(path)) {
      String message =
          path
              + " is missing: the console's browser tests need Chromium (apt-get install chromium)";
      if ("true".equals(System.getenv("CI"))) fail(message);
      Assumptions.assumeTrue(false, message);
    }
    return path;
  }

  /** Reads a closing line of node's spec reporter, e.g. "ℹ pass 15"; -1 when absent. */
  static int count(String output, String what) {
    Matcher m = Pattern.compile("(?m)^\\S* ?" + what + " (\\d+)$").matcher(output);
    int last = -1;
    while (m.find()) last = Integer.parseInt(m.group(1));
    return last;
  }
}
