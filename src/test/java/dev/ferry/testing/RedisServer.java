package dev.ferry.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} child process on a free loopback port, with its own directory and
 * durable settings ({@code --appendonly yes --appendfsync always --save ""}), for the Redis store
 * tests. It can be killed (-9 or gracefully) and started again on the same port and directory, as a
 * crashed or restarted Redis would be. Fails (never skips) when {@code redis-server} is not
 * installed: {@code .ci/run} installs it. Used from one test thread; {@link #close} stops it.
 */
public final class RedisServer implements AutoCloseable {
  private static final String BINARY = "redis-server";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final Path dir;
  private final int port;
  private final List<String> extraArgs;
  private Process process;

  private RedisServer(Path dir, int port, List<String> extraArgs) {
    this.dir = dir;
    this.port = port;
    this.extraArgs = List.copyOf(extraArgs);
  }

  /** Starts a server in a fresh temporary directory and waits until it answers PING. */
  public static RedisServer start(String... extraArgs) throws IOException {
    RedisServer server =
        new RedisServer(
            Files.createTempDirectory("ferry-redis-"), Ports.freePort(), List.of(extraArgs));
    server.startProcess();
    return server;
  }

  public int port() {
    return port;
  }

  /** The endpoint for {@code storage.redis.endpoints}. */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public Path dir() {
    return dir;
  }

  public boolean running() {
    return process != null && process.isAlive();
  }

  /** kill -9: nothing flushed beyond what {@code appendfsync always} already wrote. */
  public void kill() throws InterruptedException {
    if (process == null) return;
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
    process = null;
  }

  /** SIGTERM: Redis finishes its AOF and exits. */
  public void stop() throws InterruptedException {
    if (process == null) return;
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    process = null;
  }

  /** Starts the server again on the same port and directory (it replays its AOF). */
  public void restart() throws IOException {
    if (running()) throw new IllegalStateException("redis-server is still running");
    startProcess();
  }

  /** Empties every database (tests that share one server start from nothing). */
  public void flushAll() throws IOException {
    String reply = command("FLUSHALL");
    if (!reply.startsWith("+OK")) throw new IOException("FLUSHALL answered " + reply);
  }

  /** Sends one inline command and returns the first line of the reply ({@code +PONG}, ...). */
  public String command(String inline) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
        if (c != '\r') line.append((char) c);
      }
      return line.toString();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private void startProcess() throws IOException {
    List<String> command = new ArrayList<>();
    command.add(BINARY);
    command.addAll(
        List.of(
            "--port", String.valueOf(port),
            "--bind", "127.0.0.1",
            "--dir", dir.toString(),
            "--appendonly", "yes",
            "--appendfsync", "always",
            "--save", "",
            "--daemonize", "no"));
    command.addAll(extraArgs);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()));
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IOException(
          BINARY + " is not installed (apt-get install redis-server; .ci/run does this)", e);
    }
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            BINARY + " exited with " + process.exitValue() + "; see " + dir.resolve("redis.log"));
      }
      try {
        if (command("PING").equals("+PONG")) return;
      } catch (IOException notYet) {
        last = notYet;
      }
      try {
        process.waitFor(20, TimeUnit.MILLISECONDS); // poll interval, returns early if it exits
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for " + BINARY, e);
      }
    }
    process.destroyForcibly();
    throw new IOException(BINARY + " did not answer PING within " + START_TIMEOUT, last);
  }
}
