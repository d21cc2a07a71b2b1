package dev.ferry.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.NodeProject;
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

/**
 * Keeps the k6 scripts in {@code loadtest/k6} from rotting: k6 cannot run in the test suite, so the
 * scripts (plain JavaScript with {@code // @ts-check} and JSDoc) are type-checked with TypeScript
 * against {@code @types/k6}, both pinned in {@code loadtest/k6/package-lock.json}. Also checks that
 * every script is part of that check and that no script names a host other than a loopback one
 * (targets come from environment variables).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class K6ScriptsTypeCheckTest {
  static final NodeProject NODE =
      new NodeProject(Path.of("loadtest", "k6"), "type-checking the k6 scripts", null);
  static final Path K6_DIR = NODE.dir();
  static final Duration TSC_TIMEOUT = Duration.ofMinutes(1);

  @Test
  void scripts_type_check_against_the_k6_api() throws Exception {
    Path node = NODE.tool("node");
    NODE.ensureDependencies();

    // tsc from the lockfile's typescript, run by node directly: no npx look-up, nothing fetched
    NodeProject.Run tsc =
        NODE.run(
            List.of(
                node.toString(),
                "node_modules/typescript/bin/tsc",
                "-p",
                "tsconfig.json",
                "--pretty",
                "false",
                "--listFiles"),
            Map.of(),
            TSC_TIMEOUT);
    String errors =
        tsc.output()
            .lines()
            .filter(line -> !line.startsWith("/") && !line.matches("^[A-Za-z]:\\\\.*"))
            .reduce("", (a, b) -> a + b + "\n");
    assertEquals(
        0, tsc.exitCode(), () -> "tsc -p loadtest/k6 found errors in the k6 scripts:\n" + errors);

    List<String> checked = tsc.output().lines().map(String::strip).toList();
    for (Path script : scripts()) {
      assertTrue(
          checked.contains(script.toString()),
          () ->
              script
                  + " is not in the type check (tsconfig.json \"include\"); tsc checked:\n"
                  + tsc.output());
    }
  }

  @Test
  void every_script_opts_into_checking_and_names_no_host_but_loopback() throws IOException {
    Pattern url = Pattern.compile("https?://([^/\\s'\"`:?#]+)");
    List<String> problems = new ArrayList<>();
    List<Path> scripts = scripts();
    assertTrue(
        scripts.size() >= 7,
        () -> "expected six scripts and lib/ferry.js in " + K6_DIR + ", found " + scripts);
    for (Path script : scripts) {
      String source = Files.readString(script);
      if (!source.startsWith("// @ts-check\n"))
        problems.add(script + ": does not start with // @ts-check");
      Matcher m = url.matcher(source);
      while (m.find()) {
        String host = m.group(1);
        if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("[")) {
          problems.add(
              script
                  + ": names host "
                  + host
                  + " ("
                  + m.group()
                  + "); take addresses from the environment");
        }
      }
    }
    assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
  }

  /** The .js files of loadtest/k6 and loadtest/k6/lib (not node_modules). */
  static List<Path> scripts() throws IOException {
    List<Path> found = new ArrayList<>();
    for (Path dir : List.of(K6_DIR, K6_DIR.resolve("lib"))) {
      try (Stream<Path> files = Files.list(dir)) {
        files.filter(p -> p.getFileName().toString().endsWith(".js")).sorted().forEach(found::add);
      }
    }
    return found;
  }
}
