package dev.ferry.testing;

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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A Node project of the test suite (the SDK suite in {@code src/test/node}, the k6 type check in
 * {@code loadtest/k6}): finds node and npm, installs the locked dependencies when needed, and runs
 * commands in the project with a hard timeout, so no test can hang or leave processes behind.
 * Without node/npm a test fails under {@code CI=true} and is skipped elsewhere.
 */
public final class NodeProject {
  private static final Duration NPM_CI_TIMEOUT = Duration.ofMinutes(3);

  private final Path dir;
  private final String purpose;
  private final String logPrefix;

  /**
   * @param dir the project directory (with package.json and package-lock.json)
   * @param purpose what needs Node, for the skip/fail message
   * @param logPrefix prefix for echoing the commands' output to the test log, or null to keep it
   *     quiet
   */
  public NodeProject(Path dir, String purpose, String logPrefix) {
    this.dir = dir.toAbsolutePath();
    this.purpose = purpose;
    this.logPrefix = logPrefix;
  }

  public Path dir() {
    return dir;
  }

  /** What a child process printed (stdout and stderr merged) and how it ended. */
  public record Run(int exitCode, String output) {}

  /** Finds an executable on PATH; without it the test fails on CI and is skipped elsewhere. */
  public Path tool(String name) {
    Optional<Path> found =
        Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .filter(d -> !d.isEmpty())
            .map(d -> Path.of(d, name))
            .filter(Files::isExecutable)
            .findFirst();
    if (found.isEmpty()) {
      String message = "'" + name + "' is not on PATH: " + purpose + " needs Node.js 20+ and npm";
      if ("true".equals(System.getenv("CI"))) fail(message);
      Assumptions.assumeTrue(false, message);
    }
    return found.get();
  }

  /** Runs {@code npm ci} when node_modules is missing or does not match package-lock.json. */
  public void ensureDependencies() throws Exception {
    if (installedMatchesLockfile()) return;
    Run install =
        run(
            List.of(tool("npm").toString(), "ci", "--no-audit", "--no-fund"),
            Map.of(),
            NPM_CI_TIMEOUT);
    assertEquals(0, install.exitCode(), () -> "npm ci failed in " + dir + ":\n" + install.output());
    assertTrue(
        installedMatchesLockfile(), "npm ci left node_modules out of step with package-lock.json");
  }

  /**
   * npm records what it installed in node_modules/.package-lock.json; it must list the lockfile's
   * packages.
   */
  boolean installedMatchesLockfile() throws IOException {
    Path hidden = dir.resolve("node_modules/.package-lock.json");
    if (!Files.exists(hidden)) return false;
    JsonObject locked =
        new JsonObject(Files.readString(dir.resolve("package-lock.json")))
            .getJsonObject("packages");
    JsonObject installed = new JsonObject(Files.readString(hidden)).getJsonObject("packages");
    locked.remove("");
    return locked.equals(installed);
  }

  /**
   * Runs a command in the project directory with extra environment; past {@code timeout} the
   * process and its children are killed and the test fails with what they printed so far.
   */
  public Run run(List<String> command, Map<String, String> env, Duration timeout) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    // variables that would make the SDK leave the configured Ferry (dev server, regions) or change
    // node's output
    Stream.of(
            "QSTASH_URL",
            "QSTASH_DEV",
            "QSTASH_DEV_PORT",
            "QSTASH_REGION",
            "UPSTASH_REGION",
            "NODE_OPTIONS",
            "NODE_ENV")
        .forEach(builder.environment()::remove);
    builder.environment().put("NO_COLOR", "1");
    builder.environment().putAll(env);

    StringBuffer output = new StringBuffer();
    Process process = builder.start();
    Thread pump = new Thread(() -> copyLines(process, output), "node-output");
    pump.setDaemon(true);
    pump.start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(process);
        pump.join(5_000);
        fail(
            String.join(" ", command)
                + " did not finish within "
                + timeout
                + "; killed it. Output so far:\n"
                + output);
      }
      pump.join(5_000);
      return new Run(process.exitValue(), output.toString());
    } finally {
      kill(process);
    }
  }

  private void copyLines(Process process, StringBuffer output) {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (logPrefix != null) System.out.println(logPrefix + line);
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
