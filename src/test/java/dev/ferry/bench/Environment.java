package dev.ferry.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What was measured and on what: commit (and whether the tree was dirty), JVM, flags, machine,
 * settings.
 */
final class Environment {
  private Environment() {}

  /** The java binary of this JVM; every child runs on the same one. */
  static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static JsonObject describe(BenchOptions o) {
    String commit = git("rev-parse", "--short", "HEAD");
    String status = git("status", "--porcelain", "--untracked-files=no");
    return new JsonObject()
        .put("startedAt", Instant.now().toString())
        .put("commit", commit == null ? "unknown" : commit.trim())
        .put("dirty", status != null && !status.isBlank())
        .put(
            "java",
            System.getProperty("java.vm.name")
                + " "
                + System.getProperty("java.runtime.version")
                + " ("
                + System.getProperty("java.vendor")
                + ")")
        .put("cores", Runtime.getRuntime().availableProcessors())
        .put(
            "os",
            System.getProperty("os.name")
                + " "
                + System.getProperty("os.version")
                + " "
                + System.getProperty("os.arch"))
        .put("serverFlags", new JsonArray(new ArrayList<>(Lab.serverFlags(o.heap(), o.jvmFlags()))))
        .put(
            "pendingServerFlags",
            new JsonArray(new ArrayList<>(Lab.serverFlags(o.pendingHeap(), o.jvmFlags()))))
        .put(
            "orchestratorFlags",
            new JsonArray(
                new ArrayList<>(ManagementFactory.getRuntimeMXBean().getInputArguments())))
        .put("sinkFlags", new JsonArray(List.of("-Xms512m", "-Xmx512m", "-XX:+UseG1GC")))
        .put(
            "settings",
            new JsonObject()
                .put("runs", o.runs())
                .put("warmups", o.warmups())
                .put("windowSeconds", o.window().toSeconds())
                .put("quick", o.quick())
                .put("batchConnections", o.batchConnections())
                .put("publishConnections", o.publishConnections())
                .put("deliveryConnections", o.deliveryConnections())
                .put("deliveryMessages", o.deliveryMessages())
                .put("latencyRates", new JsonArray(new ArrayList<>(o.latencyRates())))
                .put("latencyConnections", o.latencyConnections())
                .put("latencySeconds", o.latencyDuration().toSeconds())
                .put("pending", o.pending())
                .put("sample", o.sample())
                .put("jar", o.jar().toString()));
  }

  static String summary(JsonObject env) {
    JsonObject s = env.getJsonObject("settings");
    return String.join(
        "\n",
        "Ferry bench at commit "
            + env.getString("commit")
            + (env.getBoolean("dirty") ? " (with uncommitted changes)" : "")
            + ", "
            + env.getString("startedAt"),
        "JVM: "
            + env.getString("java")
            + "; "
            + env.getInteger("cores")
            + " cores; "
            + env.getString("os"),
        "servers (Ferry and instruments alike): "
            + String.join(" ", env.getJsonArray("serverFlags").getList())
            + " (pending workload: "
            + String.join(" ", env.getJsonArray("pendingServerFlags").getList())
            + ")",
        "orchestrator and load generator: "
            + String.join(" ", env.getJsonArray("orchestratorFlags").getList())
            + "; sink: "
            + String.join(" ", env.getJsonArray("sinkFlags").getList()),
        "runs: "
            + s.getInteger("runs")
            + " counted + "
            + s.getInteger("warmups")
            + " warm-up; window "
            + s.getLong("windowSeconds")
            + " s"
            + (s.getBoolean("quick") ? " (--quick)" : ""),
        "");
  }

  private static String git(String... args) {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
