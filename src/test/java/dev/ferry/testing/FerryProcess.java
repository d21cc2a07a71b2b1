package dev.ferry.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Ferry as a separate JVM ({@code dev.ferry.Main} on the test classpath) over one data directory,
 * so that a test can {@code kill -9} it — no shutdown hook, no close, exactly what a crash leaves
 * on disk — and start it again on the same directory, or give it JVM options of its own (a small
 * heap for the overload tests). Each start writes its output to a log file of its own ({@code
 * ferry-1.log}, {@code ferry-2.log}…). Used from one test thread.
 */
public final class FerryProcess implements AutoCloseable {
  public static final String TOKEN = "crash-token";

  /**
   * The heap of a child JVM unless {@link #create(Vertx, Path, JsonObject, List)} is given options
   * of its own.
   */
  private static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx768m");

  private final Path dir;
  private final Path config;
  private final int port;
  private final int managementPort;
  private final List<String> jvmOptions;
  private final WebClient client;
  private Process process;

  /** The packaged jar to run instead of {@code dev.ferry.Main} from the test classpath, or null. */
  private Path jar;

  private int starts;

  private FerryProcess(
      Path dir,
      Path config,
      int port,
      int managementPort,
      List<String> jvmOptions,
      WebClient client) {
    this.dir = dir;
    this.config = config;
    this.port = port;
    this.managementPort = managementPort;
    this.jvmOptions = List.copyOf(jvmOptions);
    this.client = client;
  }

  /**
   * A Ferry on a free loopback port (its management listener on another) with its store in {@code
   * dir/data}, one tenant with {@link #TOKEN}; {@code overrides} is merged into that configuration
   * (e.g. {@code {"delivery":{"maxInFlight":64}}}). Not started yet.
   */
  public static FerryProcess create(Vertx vertx, Path dir, JsonObject overrides)
      throws IOException {
    return create(vertx, dir, overrides, DEFAULT_JVM_OPTIONS);
  }

  /**
   * The same with {@code jvmOptions} (e.g. {@code -Xmx96m}) in place of the default heap, for every
   * start and tool run; they replace it rather than add to it, so that the test alone decides the
   * child's memory.
   */
  public static FerryProcess create(
      Vertx vertx, Path dir, JsonObject overrides, List<String> jvmOptions) throws IOException {
    int port = Ports.freePort();
    int managementPort = Ports.freePort();
    while (managementPort == port) managementPort = Ports.freePort();
    JsonObject config =
        new JsonObject()
            .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
            .put("metrics", new JsonObject().put("host", "127.0.0.1").put("port", managementPort))
            .put("storage", new JsonObject().put("dataDir", dir.resolve("data").toString()))
            // a graceful stop leaves slow attempts pending after 5 s instead of waiting the default
            // 30 s for them
            .put("shutdown", new JsonObject().put("gracePeriod", "5s"))
            .put(
                "tenants",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("name", "crash")
                            .put("tokens", new JsonArray().add(TOKEN))
                            .put("currentSigningKey", TestFerry.CURRENT_KEY)
                            .put("nextSigningKey", TestFerry.NEXT_KEY)))
            .mergeIn(overrides, true);
    Path file = dir.resolve("ferry.json");
    Files.writeString(file, config.encodePrettily());
    return new FerryProcess(dir, file, port, managementPort, jvmOptions, WebClient.create(vertx));
  }

  /**
   * Runs {@code java -jar jar} instead of {@code dev.ferry.Main} from the test classpath: what a
   * user starts. Only the integration tests (run after {@code package}) can use it; under {@code
   * mvn verify} the unit tests run before the jar is built.
   */
  public FerryProcess usingJar(Path jar) {
    if (!Files.isRegularFile(jar))
      throw new IllegalArgumentException("no jar at " + jar + ": run mvn package first");
    this.jar = jar;
    return this;
  }

  public int port() {
    return port;
  }

  /** The management listener's port ({@code /metrics}, {@code /health/*}). */
  public int managementPort() {
    return managementPort;
  }

  public Path dataDir() {
    return dir.resolve("data");
  }

  public WebClient client() {
    return client;
  }

  /** Starts the JVM (not waiting for it to serve: see {@link #awaitUp}). */
  public FerryProcess start() throws IOException {
    return start(Map.of());
  }

  /**
   * Starts the JVM with {@code env} added to its environment (the parent's {@code FERRY_*}
   * variables are never passed on), not waiting for it to serve.
   */
  public FerryProcess start(Map<String, String> env) throws IOException {
    if (process != null && process.isAlive()) throw new IllegalStateException("already running");
    starts++;
    process = java(List.of("dev.ferry.Main", "--config", config.toString()), log(), env);
    return this;
  }

  /** Starts and waits until the API answers an authenticated request. */
  public FerryProcess startAndAwaitUp() throws Exception {
    start();
    awaitUp(60_000);
    return this;
  }

  /**
   * Waits until {@code GET /v2/keys} answers 200; fails with the log if the process exits or time
   * runs out, killing it in the latter case: {@code try (… create(…).startAndAwaitUp())} never gets
   * to close a Ferry that did not come up, and one left running would hold its port and data
   * directory after the test.
   */
  public void awaitUp(long timeoutMillis) throws Exception {
    awaitOk(
        () -> client.get(port, "127.0.0.1", "/v2/keys").bearerTokenAuthentication(TOKEN).send(),
        "did not come up",
        timeoutMillis);
  }

  /**
   * Waits until {@code GET /health/ready} on the management port answers 200, as the kubelet's
   * readiness probe does; fails with the log if the process exits or time runs out (killing it
   * then).
   */
  public void awaitReady(long timeoutMillis) throws Exception {
    awaitOk(
        () -> client.get(managementPort, "127.0.0.1", "/health/ready").send(),
        "was not ready",
        timeoutMillis);
  }

  /**
   * Asks until the answer is 200; fails at once if the process exits, and kills it if time runs
   * out.
   */
  private void awaitOk(
      Supplier<Future<HttpResponse<Buffer>>> ask, String failure, long timeoutMillis)
      throws Exception {
    try {
      // every 50 ms, also after a non-200 answer, which would otherwise be asked again at once
      Polls.within(Duration.ofMillis(timeoutMillis))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new AssertionError(
                      "Ferry exited with status " + process.exitValue() + "; log:\n" + logText());
                }
                try {
                  return ask.get().await(2, TimeUnit.SECONDS).statusCode() == 200;
                } catch (Exception notYet) {
                  return false; // not listening yet
                }
              });
    } catch (ConditionTimeoutException e) {
      kill9();
      throw new AssertionError(
          "Ferry " + failure + " within " + timeoutMillis + " ms; log:\n" + logText());
    }
  }

  /**
   * SIGKILL, like {@code kill -9}: no shutdown hook runs, nothing is flushed or closed. Waits until
   * it is gone.
   */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError("Ferry survived SIGKILL");
  }

  /** SIGTERM (graceful shutdown); waits for the exit. */
  public void stop() throws InterruptedException, IOException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("Ferry did not stop within 60 s of SIGTERM; log:\n" + logText());
    }
  }

  /** SIGTERM without waiting: for timing the graceful shutdown with {@link #awaitExit}. */
  public void sigterm() {
    process.destroy();
  }

  /**
   * Waits for the process to exit by itself; its exit status, or -1 if it still runs after {@code
   * timeoutMillis}.
   */
  public int awaitExit(long timeoutMillis) throws InterruptedException {
    return process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /**
   * The value of an unlabelled gauge or counter on {@code /metrics} (e.g. {@code
   * ferry_delivery_in_flight}).
   */
  public double metric(String name) throws Exception {
    HttpResponse<Buffer> r =
        client.get(managementPort, "127.0.0.1", "/metrics").send().await(5, TimeUnit.SECONDS);
    for (String line : r.bodyAsString().split("\n")) {
      if (line.startsWith(name + " "))
        return Double.parseDouble(line.substring(name.length() + 1).trim());
    }
    throw new AssertionError("no meter " + name + " on /metrics");
  }

  /**
   * Runs {@code ferry <args>} (a tool such as {@code repair-store}) to its end; its exit status and
   * output.
   */
  public ToolRun runTool(String... args) throws Exception {
    Path out = dir.resolve("tool-" + args[0] + ".log");
    List<String> command = new ArrayList<>(List.of("dev.ferry.Main"));
    command.addAll(List.of(args));
    Process tool = java(command, out, Map.of());
    if (!tool.waitFor(60, TimeUnit.SECONDS)) {
      tool.destroyForcibly();
      throw new AssertionError(
          "ferry " + String.join(" ", args) + " did not finish; output:\n" + Files.readString(out));
    }
    return new ToolRun(tool.exitValue(), Files.readString(out));
  }

  /** What a tool run printed and how it ended. */
  public record ToolRun(int exitStatus, String output) {}

  /** The log of the latest start. */
  public Path log() {
    return dir.resolve("ferry-" + starts + ".log");
  }

  public String logText() throws IOException {
    return Files.exists(log()) ? Files.readString(log()) : "(no log)";
  }

  /**
   * The last {@code lines} lines of the latest start's log: failure messages of long runs, whose
   * logs are large.
   */
  public String logTail(int lines) throws IOException {
    String[] all = logText().split("\n");
    return String.join(
        "\n", Arrays.asList(all).subList(Math.max(0, all.length - lines), all.length));
  }

  /** Kills whatever still runs (a failed test); a stopped process is left as it is. */
  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) kill9();
    client.close();
  }

  private Process java(List<String> args, Path output, Map<String, String> env) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmOptions);
    if (jar == null) {
      command.addAll(List.of("-cp", System.getProperty("java.class.path")));
      command.addAll(args);
    } else {
      command.addAll(List.of("-jar", jar.toString()));
      command.addAll(args.subList(1, args.size())); // the jar's manifest names the main class
    }
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment()
        .keySet()
        .removeIf(k -> k.startsWith("FERRY_")); // only this configuration counts
    pb.environment().putAll(env);
    pb.redirectErrorStream(true).redirectOutput(output.toFile());
    return pb.start();
  }
}
