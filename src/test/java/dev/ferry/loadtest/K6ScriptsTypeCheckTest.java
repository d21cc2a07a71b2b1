package dev.ferry.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keeps the k6 scripts in {@code loadtest/k6} from rotting: k6 cannot run in the test suite, so the scripts (plain
 * JavaScript with {@code // @ts-check} and JSDoc) are type-checked with TypeScript against {@code @types/k6}, both
 * pinned in {@code loadtest/k6/package-lock.json}. Also checks that every script is part of that check and that no
 * script names a host other than a loopback one (targets come from environment variables).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class K6ScriptsTypeCheckTest {
  static final Path K6_DIR = Path.of("loadtest", "k6").toAbsolutePath();
  static final Duration NPM_CI_TIMEOUT = Duration.ofMinutes(3);
  static final Duration TSC_TIMEOUT = Duration.ofMinutes(1);

  @Test
  void scripts_type_check_against_the_k6_api() throws Exception {
    Path node = tool("node");
    Path npm = tool("npm");
    ensureDependencies(npm);

    // tsc from the lockfile's typescript, run by node directly: no npx look-up, nothing fetched
    Run tsc = run(List.of(node.toString(), "node_modules/typescript/bin/tsc", "-p", "tsconfig.json",
        "--pretty", "false", "--listFiles"), TSC_TIMEOUT);
    String errors = tsc.output().lines().filter(line -> !line.startsWith("/") && !line.matches("^[A-Za-z]:\\\\.*"))
        .reduce("", (a, b) -> a + b + "\n");
    assertEquals(0, tsc.exitCode(), () -> "tsc -p loadtest/k6 found errors in the k6 scripts:\n" + errors);

    List<String> checked = tsc.output().lines().map(String::strip).toList();
    for (Path script : scripts()) {
      assertTrue(checked.contains(script.toString()),
          () -> script + " is not in the type check (tsconfig.json \"include\"); tsc checked:\n" + tsc.output());
    }
  }

  @Test
  void every_script_opts_into_checking_and_names_no_host_but_loopback() throws IOException {
    Pattern url = Pattern.compile("https?://([^/\\s'\"`:?#]+)");
    List<String> problems = new ArrayList<>();
    List<Path> scripts = scripts();
    assertTrue(scripts.size() >= 7, () -> "expected six scripts and lib/ferry.js in " + K6_DIR + ", found " + scripts);
    for (Path script : scripts) {
      String source = Files.readString(script);
      if (!source.startsWith("// @ts-check\n")) problems.add(script + ": does not start with // @ts-check");
      Matcher m = url.matcher(source);
      while (m.find()) {
        String host = m.group(1);
        if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("[")) {
          problems.add(script + ": names host " + host + " (" + m.group() + "); take addresses from the environment");
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

  /** Finds an executable on PATH; without it the test fails on CI and is skipped elsewhere. */
  static Path tool(String name) {
    Optional<Path> found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, name))
        .filter(Files::isExecutable)
        .findFirst();
    if (found.isEmpty()) {
      String message = "'" + name + "' is not on PATH: type-checking the k6 scripts needs Node.js 20+ and npm";
      if ("true".equals(System.getenv("CI"))) fail(message);
      Assumptions.assumeTrue(false, message);
    }
    return found.get();
  }

  /** Runs {@code npm ci} when node_modules is missing or does not match package-lock.json. */
  static void ensureDependencies(Path npm) throws Exception {
    if (installedMatchesLockfile()) return;
    Run install = run(List.of(npm.toString(), "ci", "--no-audit", "--no-fund"), NPM_CI_TIMEOUT);
    assertEquals(0, install.exitCode(), () -> "npm ci failed in " + K6_DIR + ":\n" + install.output());
    assertTrue(installedMatchesLockfile(), "npm ci left node_modules out of step with package-lock.json");
  }

  /** npm records what it installed in node_modules/.package-lock.json; it must list the lockfile's packages. */
  static boolean installedMatchesLockfile() throws IOException {
    Path hidden = K6_DIR.resolve("node_modules/.package-lock.json");
    if (!Files.exists(hidden)) return false;
    JsonObject locked = new JsonObject(Files.readString(K6_DIR.resolve("package-lock.json"))).getJsonObject("packages");
    JsonObject installed = new JsonObject(Files.readString(hidden)).getJsonObject("packages");
    locked.remove("");
    return locked.equals(installed);
  }

  /** What a child process printed (stdout and stderr merged) and how it ended. */
  record Run(int exitCode, String output) {}

  /** Runs a command in {@link #K6_DIR}; past {@code timeout} it is killed and the test fails with its output so far. */
  static Run run(List<String> command, Duration timeout) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).directory(K6_DIR.toFile()).redirectErrorStream(true);
    builder.environment().remove("NODE_OPTIONS");
    builder.environment().put("NO_COLOR", "1");
    StringBuffer output = new StringBuffer();
    Process process = builder.start();
    Thread pump = new Thread(() -> copyLines(process, output), "k6-typecheck-output");
    pump.setDaemon(true);
    pump.start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(process);
        pump.join(5_000);
        fail(String.join(" ", command) + " did not finish within " + timeout + "; killed it. Output:\n" + output);
      }
      pump.join(5_000);
      return new Run(process.exitValue(), output.toString());
    } finally {
      kill(process);
    }
  }

  private static void copyLines(Process process, StringBuffer output) {
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        output.append(line).append('\n');
      }
    } catch (IOException e) {
      output.append("(reading the output failed: ").append(e.getMessage()).append(")\n");
    }
  }

  private static void kill(Process process) {
    if (!process.isAlive()) return;
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
