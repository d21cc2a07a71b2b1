package dev.ferry.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bench's flags; {@code --quick} sets smaller defaults that explicit flags still override.
 * Pure.
 *
 * @param runs counted runs per figure (medians of these)
 * @param warmups uncounted warm-up runs before them (throughput and latency workloads)
 * @param window measurement window of one throughput run
 * @param only workloads to run (all when empty)
 * @param json where to write the JSON result, if anywhere
 * @param results a Markdown file to append the dated result table to (e.g. loadtest/RESULTS.md), if
 *     any
 * @param jar the Ferry jar under test
 * @param heap heap (-Xms = -Xmx) of Ferry and of the instruments
 * @param pendingHeap the same for the pending-messages workload
 * @param batchConnections concurrent batch requests
 * @param publishConnections concurrent single publishes
 * @param deliveryConnections connections to the sink (Ferry's delivery.maxConnectionsPerHost and
 *     the instrument's)
 * @param deliveryMessages messages preloaded per Ferry delivery run
 * @param latencyRates publishes per second in the latency workload, one row pair per rate
 * @param latencyConnections connections the latency workload's publishes may use at once
 * @param latencyDuration how long one latency run publishes
 * @param pending delayed messages loaded per pending run
 * @param sample near-due messages whose lateness is measured per pending run
 * @param jvmFlags extra flags for Ferry and the instruments alike (e.g. GC logging)
 * @param keep keep the work directory (logs, data) after the run
 * @param ferryEnv extra {@code FERRY_*} variables for every Ferry the bench starts (e.g. {@code
 *     FERRY_LOGS_ENABLED=false} to measure what the message log costs)
 */
record BenchOptions(
    int runs,
    int warmups,
    Duration window,
    Set<String> only,
    Path json,
    Path results,
    Path jar,
    String heap,
    String pendingHeap,
    int batchConnections,
    int publishConnections,
    int deliveryConnections,
    int deliveryMessages,
    List<Integer> latencyRates,
    int latencyConnections,
    Duration latencyDuration,
    int pending,
    int sample,
    List<String> jvmFlags,
    boolean quick,
    boolean keep,
    Map<String, String> ferryEnv) {

  static final List<String> WORKLOADS =
      List.of(
          "batch",
          "publish",
          "delivery",
          "latency",
          "cold-start",
          "pending",
          "redis-batch",
          "redis-delivery");

  /** Run only when named in {@code --only}: they need {@code redis-server} on the PATH. */
  static final List<String> OPT_IN = List.of("redis-batch", "redis-delivery");

  static final String USAGE =
      String.join(
          "\n",
          "Usage: loadtest/bench.sh [--runs N] [--json FILE] [--only w1,w2] [--quick] [more flags]",
          "",
          "  --runs N                counted runs per figure (default 3; --quick: 1)",
          "  --warmups N             warm-up runs, not counted (default 2; --quick: 1)",
          "  --seconds S             measurement window of a throughput run (default 10; --quick: 3)",
          "  --only LIST             some of: " + String.join(",", WORKLOADS),
          "                          ("
              + String.join(",", OPT_IN)
              + ": only when named; need redis-server)",
          "  --json FILE             also write the results as JSON",
          "  --results FILE          append the dated table to a Markdown file (loadtest/RESULTS.md)",
          "  --quick                 short smoke run: 1 run, 3 s windows, 20k deliveries, 100k pending",
          "  --heap SIZE             heap of Ferry and instruments (default 1g)",
          "  --pending-heap SIZE     heap of Ferry and instrument in the pending workload (default 2g)",
          "  --batch-connections N   concurrent batch requests (default 32)",
          "  --publish-connections N concurrent single publishes (default 128)",
          "  --delivery-connections N  connections to the sink, Ferry and instrument (default 64)",
          "  --delivery-messages N   messages per Ferry delivery run (default 100000; --quick: 20000)",
          "  --latency-rates LIST    publishes per second in the latency workload, open loop, one",
          "                          after the other on one Ferry (default 500,5000,20000; --quick: 500,5000)",
          "  --latency-rate N        the same for one rate",
          "  --latency-connections N connections its publishes may use at once (default 256)",
          "  --latency-seconds S     length of one latency run (default 15; --quick: 5)",
          "  --pending N             delayed messages per pending run (default 1000000; --quick: 100000)",
          "  --sample N              near-due messages per pending run (default 1000; --quick: 300)",
          "  --jar PATH              Ferry jar (default target/ferry.jar)",
          "  --jvm-flag FLAG         extra JVM flag for Ferry and instruments alike (repeatable),",
          "                          e.g. -Xlog:gc:file=gc-%p.log",
          "  --keep                  keep the work directory with every process's log",
          "  --ferry-env NAME=VALUE  a FERRY_* variable for every Ferry started (repeatable),",
          "                          e.g. FERRY_LOGS_ENABLED=false");

  static BenchOptions parse(String... args) {
    boolean quick = List.of(args).contains("--quick");
    int runs = quick ? 1 : 3;
    // Ferry's JIT is still compiling through a first 10 s round (C2 threads at 0.3-0.6 cores): two
    // rounds settle it
    int warmups = quick ? 1 : 2;
    int seconds = quick ? 3 : 10;
    Set<String> only = new LinkedHashSet<>();
    Path json = null;
    Path results = null;
    Path jar = Path.of("target", "ferry.jar");
    String heap = "1g";
    String pendingHeap = "2g";
    int batchConnections = 32;
    int publishConnections = 128;
    int deliveryConnections = 64;
    int deliveryMessages = quick ? 20_000 : 100_000;
    List<Integer> latencyRates = quick ? List.of(500, 5000) : List.of(500, 5000, 20_000);
    int latencyConnections = 256;
    int latencySeconds = quick ? 5 : 15;
    int pending = quick ? 100_000 : 1_000_000;
    int sample = quick ? 300 : 1000;
    boolean keep = false;
    List<String> jvmFlags = new ArrayList<>();
    Map<String, String> ferryEnv = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      switch (flag) {
        case "--quick" -> {}
        case "--keep" -> keep = true;
        case "--runs" -> runs = positive(flag, value(args, ++i, flag));
        case "--warmups" -> warmups = nonNegative(flag, value(args, ++i, flag));
        case "--seconds" -> seconds = positive(flag, value(args, ++i, flag));
        case "--only" -> {
          for (String w : value(args, ++i, flag).split(",")) {
            if (!WORKLOADS.contains(w.trim())) {
              throw new IllegalArgumentException(
                  "--only: unknown workload '" + w + "' (known: " + WORKLOADS + ")");
            }
            only.add(w.trim());
          }
        }
        case "--json" -> json = Path.of(value(args, ++i, flag));
        case "--results" -> results = Path.of(value(args, ++i, flag));
        case "--jar" -> jar = Path.of(value(args, ++i, flag));
        case "--jvm-flag" -> jvmFlags.add(value(args, ++i, flag));
        case "--ferry-env" -> {
          String v = value(args, ++i, flag);
          int eq = v.indexOf('=');
          if (eq < 1 || !v.startsWith("FERRY_")) {
            throw new IllegalArgumentException(
                "--ferry-env: expected FERRY_NAME=VALUE, got '" + v + "'");
          }
          ferryEnv.put(v.substring(0, eq), v.substring(eq + 1));
        }
        case "--heap" -> heap = size(flag, value(args, ++i, flag));
        case "--pending-heap" -> pendingHeap = size(flag, value(args, ++i, flag));
        case "--batch-connections" -> batchConnections = positive(flag, value(args, ++i, flag));
        case "--publish-connections" -> publishConnections = positive(flag, value(args, ++i, flag));
        case "--delivery-connections" ->
            deliveryConnections = positive(flag, value(args, ++i, flag));
        case "--delivery-messages" -> deliveryMessages = positive(flag, value(args, ++i, flag));
        case "--latency-rate" -> latencyRates = List.of(positive(flag, value(args, ++i, flag)));
        case "--latency-rates" -> {
          List<Integer> rates = new ArrayList<>();
          for (String r : value(args, ++i, flag).split(",")) rates.add(positive(flag, r.trim()));
          latencyRates = List.copyOf(rates);
        }
        case "--latency-connections" -> latencyConnections = positive(flag, value(args, ++i, flag));
        case "--latency-seconds" -> latencySeconds = positive(flag, value(args, ++i, flag));
        case "--pending" -> pending = positive(flag, value(args, ++i, flag));
        case "--sample" -> sample = positive(flag, value(args, ++i, flag));
        default -> throw new IllegalArgumentException("unknown flag " + flag + "\n" + USAGE);
      }
    }
    return new BenchOptions(
        runs,
        warmups,
        Duration.ofSeconds(seconds),
        only,
        json,
        results,
        jar,
        heap,
        pendingHeap,
        batchConnections,
        publishConnections,
        deliveryConnections,
        deliveryMessages,
        latencyRates,
        latencyConnections,
        Duration.ofSeconds(latencySeconds),
        pending,
        sample,
        List.copyOf(jvmFlags),
        quick,
        keep,
        Map.copyOf(ferryEnv));
  }

  boolean selected(String workload) {
    return only.isEmpty() ? !OPT_IN.contains(workload) : only.contains(workload);
  }

  /** The selected workloads in their fixed order. */
  List<String> workloads() {
    List<String> out = new ArrayList<>();
    for (String w : WORKLOADS) if (selected(w)) out.add(w);
    return out;
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) throw new IllegalArgumentException(flag + ": needs a value");
    return args[i];
  }

  private static int positive(String flag, String text) {
    int n = nonNegative(flag, text);
    if (n == 0) throw new IllegalArgumentException(flag + ": must be positive, got " + text);
    return n;
  }

  private static int nonNegative(String flag, String text) {
    try {
      int n = Integer.parseInt(text.replace("_", ""));
      if (n >= 0) return n;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(flag + ": must be a non-negative integer, got " + text);
  }

  private static String size(String flag, String text) {
    if (!text.matches("\\d+[kKmMgG]?"))
      throw new IllegalArgumentException(flag + ": a JVM size like 1g, got " + text);
    return text;
  }
}
