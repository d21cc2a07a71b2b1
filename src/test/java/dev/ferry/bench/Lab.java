package dev.ferry.bench;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What every workload needs: starting and stopping the sink, Ferry and the instruments (each a JVM
 * of its own, with the same server flags for Ferry and the instrument), talking to them, and
 * reporting progress. One per bench run, used from the orchestrator's main thread.
 */
final class Lab {
  static final String TOKEN = "bench-token";
  static final String CURRENT_KEY = "sig_benchCurrentSigningKey000000";
  static final String NEXT_KEY = "sig_benchNextSigningKey000000000";

  /** A started server: its process and port. */
  record Server(Children.Child child, int port) {
    String url(String path) {
      return "http://" + Control.HOST + ":" + port + path;
    }
  }

  final Vertx vertx;
  final BenchOptions options;
  final Control control;
  private final Children children;
  private final Path workDir;

  Lab(Vertx vertx, BenchOptions options, Children children, Control control, Path workDir) {
    this.vertx = vertx;
    this.options = options;
    this.children = children;
    this.control = control;
    this.workDir = workDir;
  }

  /**
   * The flags every server under test gets (Ferry and instrument alike), for a heap of {@code
   * heap}.
   */
  static List<String> serverFlags(String heap, List<String> extra) {
    List<String> flags = new ArrayList<>(List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC"));
    flags.addAll(extra);
    return flags;
  }

  /** The sink, verifying signatures with the bench tenant's keys when {@code verify}. */
  Server startSink(String name, boolean verify) {
    int port = Control.freePort();
    List<String> args =
        new ArrayList<>(List.of("-jar", jar(), "sink", "--port", String.valueOf(port)));
    if (verify)
      args.addAll(List.of("--current-signing-key", CURRENT_KEY, "--next-signing-key", NEXT_KEY));
    Children.Child child =
        children.startJava(
            name, List.of("-Xms512m", "-Xmx512m", "-XX:+UseG1GC"), args, Map.of(), workDir);
    control.awaitReady(child, port, "/stats", null, Duration.ofSeconds(60));
    return new Server(child, port);
  }

  /**
   * Ferry from the jar over a fresh data directory, a generated config for one tenant; {@code env}
   * adds FERRY_*.
   */
  Server startFerry(String name, String heap, Map<String, String> env) {
    int port = Control.freePort();
    Path data = workDir.resolve(name + "-data");
    Path config = workDir.resolve(name + ".json");
    JsonObject json =
        new JsonObject()
            .put("http", new JsonObject().put("host", Control.HOST).put("port", port))
            // the management listener on a port of its own: two Ferrys of a run must not both want
            // the default 9090
            .put(
                "metrics",
                new JsonObject().put("host", Control.HOST).put("port", Control.freePort()))
            .put("storage", new JsonObject().put("dataDir", data.toString()))
            .put(
                "tenants",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("name", "bench")
                            .put("tokens", new JsonArray().add(TOKEN))
                            .put("currentSigningKey", CURRENT_KEY)
                            .put("nextSigningKey", NEXT_KEY)));
    write(config, json.encodePrettily());
    Map<String, String> ferryEnv = new java.util.HashMap<>(options.ferryEnv());
    ferryEnv.putAll(env); // a workload's own settings win
    Children.Child child =
        children.startJava(
            name,
            serverFlags(heap, options.jvmFlags()),
            List.of("-jar", jar(), "--config", config.toString()),
            ferryEnv,
            workDir);
    control.awaitReady(child, port, "/v2/keys", Control.bearer(TOKEN), Duration.ofSeconds(90));
    return new Server(child, port);
  }

  /**
   * An instrument process ({@code batch}, {@code publish}, {@code deliver}, {@code deliver-signed},
   * {@code relay}, {@code heap}) with the server flags.
   */
  Server startInstrument(String name, String mode, String heap) {
    return startInstrument(name, mode, heap, List.of());
  }

  /** The same, with mode-specific arguments ({@code --redis URL}). */
  Server startInstrument(String name, String mode, String heap, List<String> extraArgs) {
    int port = Control.freePort();
    List<String> args =
        new ArrayList<>(
            List.of(
                "-cp",
                absoluteClassPath(),
                "dev.ferry.bench.instrument.Instrument",
                mode,
                "--port",
                String.valueOf(port)));
    if (mode.equals("batch") || mode.equals("deliver-signed") || mode.equals("relay")) {
      args.addAll(List.of("--data-dir", workDir.resolve(name + "-data").toString()));
    }
    args.addAll(extraArgs);
    Children.Child child =
        children.startJava(name, serverFlags(heap, options.jvmFlags()), args, Map.of(), workDir);
    control.awaitReady(child, port, "/", null, Duration.ofSeconds(60));
    return new Server(child, port);
  }

  /**
   * A {@code redis-server} in a fresh directory of the work dir on a free port, durable as the
   * Redis rows require: AOF on, fsynced before every answer ({@code appendfsync always}), no RDB
   * snapshots. Returns its server record (its port is Redis's).
   */
  Server startRedis(String name) {
    int port = Control.freePort();
    Path dir = workDir.resolve(name + "-data");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Children.Child child =
        children.start(
            name,
            List.of(
                "redis-server",
                "--port",
                String.valueOf(port),
                "--bind",
                Control.HOST,
                "--dir",
                dir.toString(),
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--save",
                ""),
            Map.of(),
            workDir);
    RedisStats.awaitReady(child, port, Duration.ofSeconds(20));
    return new Server(child, port);
  }

  /** Stops whatever it is given, in order, ignoring nulls. */
  void stopAll(List<Server> servers) {
    servers.forEach(this::stop);
  }

  private String jar() {
    return options.jar().toAbsolutePath().toString();
  }

  /** This JVM's class path with absolute entries: children run in the work directory. */
  private static String absoluteClassPath() {
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      entries.add(Path.of(entry).toAbsolutePath().toString());
    }
    return String.join(java.io.File.pathSeparator, entries);
  }

  void stop(Server server) {
    if (server != null) children.stop(server.child(), 30);
  }

  MultiMap ferryHeaders(String contentType) {
    MultiMap headers = Control.bearer(TOKEN);
    if (contentType != null) headers.add("Content-Type", contentType);
    return headers;
  }

  JsonObject sinkStats(Server sink) {
    return sinkCall(sink, HttpMethod.GET, "/stats", Duration.ofSeconds(60));
  }

  /** The sink's arrival time of each due-time request, by message id ({@code GET /arrivals}). */
  JsonObject sinkArrivals(Server sink) {
    return sinkCall(sink, HttpMethod.GET, "/arrivals", Duration.ofSeconds(60));
  }

  /** The sink's lateness per slot of due time ({@code GET /timeline}). */
  JsonObject sinkTimeline(Server sink, long slotMillis) {
    return sinkCall(sink, HttpMethod.GET, "/timeline?slotMs=" + slotMillis, Duration.ofSeconds(60));
  }

  /**
   * Zeroes the sink's figures; asking twice is harmless, so a call that got no answer is simply
   * repeated.
   */
  void resetSink(Server sink) {
    sinkCall(sink, HttpMethod.POST, "/reset", Duration.ofSeconds(60));
  }

  /**
   * One call to the sink, asked again (10 s per try) until {@code timeout}: one unanswered call on
   * a saturated 2-core machine must not cost a whole workload (a single 30 s GET /stats after
   * loading 1M messages once did).
   */
  private JsonObject sinkCall(Server sink, HttpMethod method, String uri, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonObject answer = trySink(sink, method, uri);
      if (answer != null) return answer;
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the sink did not answer " + method + " " + uri + " within " + timeout);
      }
      Control.sleep(200);
    }
  }

  /** The sink's answer, or null (reported) when it gave none within 10 s. */
  private JsonObject trySink(Server sink, HttpMethod method, String uri) {
    long started = System.nanoTime();
    try {
      return control.json(method, sink.port(), uri, Duration.ofSeconds(10));
    } catch (IllegalStateException e) {
      sink.child().checkAlive();
      progress(
          "sink did not answer "
              + method
              + " "
              + uri
              + " after "
              + ResultTable.number((System.nanoTime() - started) / 1e9)
              + " s ("
              + e.getMessage()
              + "); asking again");
      return null;
    }
  }

  /**
   * Polls the sink until {@code done} holds for its stats, or the timeout passes; returns the last
   * stats. A poll that fails (a starved machine can stall the sink's answer) is retried until the
   * deadline.
   */
  JsonObject awaitSink(Server sink, Duration timeout, Predicate<JsonObject> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonObject stats = null;
    while (true) {
      JsonObject answer = trySink(sink, HttpMethod.GET, "/stats");
      if (answer != null) stats = answer;
      boolean finished = stats != null && done.test(stats);
      if (finished || System.nanoTime() > deadline) {
        if (stats == null)
          throw new IllegalStateException("the sink never answered /stats within " + timeout);
        return stats;
      }
      Control.sleep(200);
    }
  }

  /** Live heap bytes of a process after a full GC ({@code jcmd GC.class_histogram}). */
  long liveHeap(Server server) {
    return HeapProbe.liveBytes(server.child().pid());
  }

  void progress(String line) {
    System.err.println("[bench] " + line);
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
