package dev.ferry.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The benchmark harness (run by {@code loadtest/bench.sh}; never by {@code mvn verify}): measures
 * bare Vert.x instruments and Ferry on the same workloads, back to back, and prints a table of
 * medians [min..max], Ferry / instrument ratios and targets (the performance budget:
 * loadtest/README.md#the-performance-budget), plus JSON with {@code --json FILE}. This JVM is the
 * orchestrator and the load generator; Ferry, the instruments and the sink each run in a JVM of
 * their own, all on 127.0.0.1.
 */
public final class Bench {
  private static final Map<String, Workload> WORKLOADS =
      Map.of(
          "batch", new PublishWorkloads.Batch(),
          "publish", new PublishWorkloads.Single(),
          "delivery", new DeliveryWorkload(),
          "latency", new LatencyWorkload(),
          "cold-start", new ColdStartWorkload(),
          "pending", new PendingWorkload(),
          "redis-batch", new RedisWorkloads.Batch(),
          "redis-delivery", new RedisDelivery());

  private Bench() {}

  public static void main(String[] args) throws Exception {
    BenchOptions options;
    try {
      if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
        System.out.println(BenchOptions.USAGE);
        return;
      }
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (!Files.isRegularFile(options.jar())) {
      System.err.println(
          "bench: " + options.jar() + " not found: build first (mvn -B -q package -DskipTests)");
      System.exit(2);
    }
    System.exit(run(options, List.of(args)) ? 0 : 1);
  }

  /**
   * Runs the selected workloads; true when every figure was measured (PASS or MISS alike). {@code
   * args} is the command line, recorded with the results ({@code --results}).
   */
  static boolean run(BenchOptions options, List<String> args) throws IOException {
    JsonObject environment = Environment.describe(options);
    String summary = Environment.summary(environment);
    System.out.println(summary);
    Path workDir =
        Files.createDirectories(
            Path.of("target", "bench", Instant.now().toString().replace(':', '-'))
                .toAbsolutePath());
    List<Row> rows = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    long started = System.nanoTime();
    Vertx vertx =
        Vertx.vertx(
            new VertxOptions().setEventLoopPoolSize(Runtime.getRuntime().availableProcessors()));
    try (Children children = new Children(workDir, Environment.javaExecutable());
        Control control = new Control(vertx)) {
      Lab lab = new Lab(vertx, options, children, control, workDir);
      for (String name : options.workloads()) {
        long t0 = System.nanoTime();
        lab.progress("== " + name + " ==");
        try {
          WORKLOADS.get(name).run(lab, rows);
        } catch (RuntimeException e) {
          failures.add(name + ": " + e.getMessage());
          lab.progress(name + " FAILED: " + e);
        }
        lab.progress(name + " took " + Math.round((System.nanoTime() - t0) / 1e9) + " s");
      }
    } finally {
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("bench: closing Vert.x: " + e.getMessage());
      }
    }
    double minutes = (System.nanoTime() - started) / 60e9;
    StringBuilder report = new StringBuilder(ResultTable.markdown(rows));
    for (Row row : rows) {
      row.notes.forEach(
          n ->
              report
                  .append("note (")
                  .append(row.workload)
                  .append(", ")
                  .append(row.figure)
                  .append("): ")
                  .append(n)
                  .append('\n'));
    }
    failures.forEach(f -> report.append("FAILED ").append(f).append('\n'));
    System.out.println();
    System.out.print(report);
    System.out.printf(
        "%nmeasured in %.1f min; logs in %s%n",
        minutes,
        options.keep() || !failures.isEmpty()
            ? workDir.toAbsolutePath()
            : "(deleted; --keep keeps them)");
    if (options.json() != null) {
      JsonObject json =
          ResultTable.json(
              rows,
              environment
                  .put("minutes", minutes)
                  .put("failures", new JsonArray(new ArrayList<>(failures))));
      Files.writeString(options.json(), json.encodePrettily() + "\n", StandardCharsets.UTF_8);
      System.out.println("JSON written to " + options.json());
    }
    if (options.results() != null) {
      ResultsFile.append(
          options.results(), ResultsFile.section(environment, args, summary + "\n" + report));
      System.out.println("results appended to " + options.results());
    }
    if (!options.keep() && failures.isEmpty()) deleteTree(workDir);
    return failures.isEmpty() && rows.stream().allMatch(Row::complete);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
