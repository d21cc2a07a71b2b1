package dev.ferry.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One {@code redis-server} child process (a data node or a sentinel) on a loopback port, with its
 * own directory holding its data and one log file per start ({@code redis-1.log}, …): the building
 * block of {@link RedisCluster} and {@link RedisSentinels}. It can be killed with {@code -9} and
 * started again with the same arguments on the same port and directory. Talks to the server through
 * {@code redis-cli}. Used from one test thread; every wait has a deadline.
 */
public final class RedisNode implements AutoCloseable {
  /** What every node runs with unless told otherwise: durable (AOF, fsync per write), no RDB. */
  public static final List<String> DURABLE =
      List.of("--appendonly", "yes", "--appendfsync", "always", "--save", "");

  private static final Duration CLI_TIMEOUT = Duration.ofSeconds(10);

  /** Every node still running, killed when the JVM exits so that none outlives a failed run. */
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly)));
  }

  private final Path dir;
  private final int port;
  private final List<String> arguments;
  private Process process;
  private int starts;

  private RedisNode(Path dir, int port, List<String> arguments) {
    this.dir = dir;
    this.port = port;
    this.arguments = List.copyOf(arguments);
  }

  /**
   * Starts a data node on {@code port} with its files in {@code dir} (created), {@link #DURABLE}
   * plus {@code options} (e.g. {@code --cluster-enabled yes}), and waits until it answers PING.
   */
  public static RedisNode server(Path dir, int port, List<String> options) throws IOException {
    List<String> args = new ArrayList<>(common(dir, port));
    args.addAll(DURABLE);
    args.addAll(options);
    return new RedisNode(Files.createDirectories(dir), port, args).start();
  }

  /**
   * Starts a sentinel on {@code port} from {@code config} (the {@code sentinel ...} lines), written
   * to {@code dir/sentinel.conf} where the sentinel rewrites it as it learns, and waits until it
   * answers PING. Runs {@code redis-server --sentinel}: Debian's {@code redis-sentinel} is a
   * package of its own, the server binary alone is enough.
   */
  public static RedisNode sentinel(Path dir, int port, String config) throws IOException {
    Files.createDirectories(dir);
    Path file = Files.writeString(dir.resolve("sentinel.conf"), config);
    List<String> args = new ArrayList<>(List.of(file.toString(), "--sentinel"));
    args.addAll(common(dir, port));
    return new RedisNode(dir, port, args).start();
  }

  private static List<String> common(Path dir, int port) {
    return List.of(
        "--port",
        String.valueOf(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        dir.toString(),
        "--daemonize",
        "no",
        "--protected-mode",
        "no",
        "--logfile",
        "");
  }

  public int port() {
    return port;
  }

  public Path dir() {
    return dir;
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /**
   * Starts the process again after {@link #kill9} or {@link #stop}: same arguments, port and files.
   */
  public RedisNode restart() throws IOException {
    return start();
  }

  private RedisNode start() throws IOException {
    if (isAlive()) throw new IllegalStateException("redis on port " + port + " already runs");
    List<String> command = new ArrayList<>(List.of(executable("redis-server")));
    command.addAll(arguments);
    executable("redis-cli"); // fail now, naming it, rather than by never answering PING
    starts++;
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log().toFile())
            .start();
    RUNNING.add(process);
    awaitPing(Duration.ofSeconds(20));
    return this;
  }

  /** Waits until the node answers PING; fails with its log if it exits or time runs out. */
  public void awaitPing(Duration timeout) throws IOException {
    try {
      Polls.within(timeout)
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new AssertionError(
                      "redis on port " + port + " exited with " + process.exitValue() + describe());
                }
                return tryCli("PING").equals("PONG");
              });
    } catch (ConditionTimeoutException e) {
      kill9();
      fail("redis on port " + port + " did not answer PING within " + timeout + describe());
    }
  }

  /** SIGKILL, like {@code kill -9}: nothing is flushed; waits until the process is gone. */
  public void kill9() {
    if (process == null) return;
    process.destroyForcibly();
    awaitExit();
  }

  /**
   * SIGSTOP: the process stops answering and replicating, its sockets stay open (a node that hangs
   * or lags); {@link #resume} lets it go on.
   */
  public void pause() throws IOException {
    signal("-STOP");
  }

  /** SIGCONT after {@link #pause}. */
  public void resume() throws IOException {
    signal("-CONT");
  }

  private void signal(String which) throws IOException {
    if (!isAlive()) throw new IllegalStateException("redis on port " + port + " is not running");
    try {
      Process kill = new ProcessBuilder("kill", which, String.valueOf(process.pid())).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        fail("kill " + which + " of redis on port " + port + " failed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** SIGTERM, a clean shutdown (Redis fsyncs its AOF); waits until the process is gone. */
  public void stop() {
    if (process == null) return;
    process.destroy();
    awaitExit();
  }

  private void awaitExit() {
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) fail("redis on port " + port + " did not exit");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    RUNNING.remove(process);
  }

  /**
   * Runs {@code redis-cli -p <port> args…} and returns its output, trimmed (raw format: one value a
   * line, errors as {@code ERR …}). Fails if redis-cli cannot reach the node or does not finish.
   */
  public String cli(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("-p", String.valueOf(port)));
    command.addAll(Arrays.asList(args));
    return redisCli(command);
  }

  /**
   * As {@link #cli} in cluster mode ({@code redis-cli -c}): a {@code MOVED} redirect is followed to
   * the node that owns the key's slot.
   */
  public String clusterCli(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("-c", "-p", String.valueOf(port)));
    command.addAll(Arrays.asList(args));
    return redisCli(command);
  }

  /**
   * As {@link #cli}, but an unreachable node gives an empty string: for polling a node that may be
   * down.
   */
  public String tryCli(String... args) {
    try {
      return cli(args);
    } catch (IOException down) {
      return "";
    }
  }

  /** The value of {@code field} in the output of {@code INFO section} (e.g. role), or "". */
  public String info(String section, String field) {
    return field(tryCli("INFO", section), field);
  }

  /** The value of {@code field:value} lines such as INFO's and CLUSTER INFO's, or "". */
  static String field(String text, String field) {
    return text.lines()
        .filter(l -> l.startsWith(field + ":"))
        .map(l -> l.substring(field.length() + 1).trim())
        .findFirst()
        .orElse("");
  }

  /**
   * Runs {@code redis-cli -h 127.0.0.1 args…} (any node, any tool such as {@code --cluster
   * create}); its output, trimmed.
   */
  static String redisCli(List<String> args) throws IOException {
    List<String> command = new ArrayList<>(List.of(executable("redis-cli"), "-h", "127.0.0.1"));
    command.addAll(args);
    Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      if (!cli.waitFor(CLI_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        cli.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish in " + CLI_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    String output = new String(cli.getInputStream().readAllBytes()).trim();
    if (cli.exitValue() != 0) {
      throw new IOException(
          String.join(" ", command) + " exited " + cli.exitValue() + ": " + output);
    }
    return output;
  }

  /**
   * The path of a Redis program found on PATH; fails (never skips) when it is missing, naming the
   * package that provides it.
   */
  static String executable(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String entry : path.split(File.pathSeparator)) {
      Path candidate = Path.of(entry.isEmpty() ? "." : entry, name);
      if (Files.isExecutable(candidate)) return candidate.toString();
    }
    return fail(
        name
            + " is not on PATH: these tests run real Redis processes; install Debian's redis-server"
            + " package (it brings redis-cli), as `bash .ci/run` does");
  }

  /** The log of the latest start. */
  public Path log() {
    return dir.resolve("redis-" + starts + ".log");
  }

  /** The last lines of the latest start's log, for failure messages. */
  public String logTail(int lines) {
    try {
      String[] all = Files.exists(log()) ? Files.readString(log()).split("\n") : new String[0];
      return String.join(
          "\n", Arrays.asList(all).subList(Math.max(0, all.length - lines), all.length));
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  /** A failure-message suffix: the node's port, directory and the end of its log. */
  public String describe() {
    return "\n--- redis :" + port + " (" + log() + ")\n" + logTail(30);
  }

  /** Kills the process if it still runs; the directory is left to its owner. */
  @Override
  public void close() {
    if (isAlive()) kill9();
  }

  /** Deletes {@code dir} and everything in it (the owners' temp directories, on close). */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
