package dev.ferry.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Ferry in a JVM of its own (to give it a small heap, or to kill it), on a free port, configured by a JSON tree
 * merged onto a minimal config with one tenant ({@link #TOKEN}); its output goes to {@code ferry.log} in {@code dir}.
 */
public final class ChildFerry implements AutoCloseable {
  public static final String TOKEN = "child-token";

  private final Process process;
  private final Path log;
  private final int port;

  private ChildFerry(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** Starts it and waits until it serves requests (at most 60 s). */
  public static ChildFerry start(Path dir, JsonObject overrides, List<String> jvmOptions) throws Exception {
    int port = Ports.freePort();
    JsonObject config = new JsonObject()
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
        .put("storage", new JsonObject().put("dataDir", dir.resolve("data").toString()))
        .put("tenants", new JsonArray().add(new JsonObject().put("name", "c").put("tokens", new JsonArray().add(TOKEN))
            .put("currentSigningKey", TestFerry.CURRENT_KEY).put("nextSigningKey", TestFerry.NEXT_KEY)));
    config.mergeIn(overrides, true);
    Path file = Files.writeString(dir.resolve("ferry.json"), config.encodePrettily());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.ferry.Main", "--config", file.toString()));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("FERRY_"));
    Path log = dir.resolve("ferry.log");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    ChildFerry child = new ChildFerry(pb.start(), log, port);
    child.awaitUp();
    return child;
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** The last lines of its output, for failure messages. */
  public String logTail(int lines) {
    String[] all = log().split("\n");
    return String.join("\n", java.util.Arrays.asList(all).subList(Math.max(0, all.length - lines), all.length));
  }

  private void awaitUp() throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline && process.isAlive()) {
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/health/ready").toURL()
            .openConnection();
        c.setConnectTimeout(1000);
        c.setReadTimeout(2000);
        if (c.getResponseCode() == 200) return;
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    close();
    throw new AssertionError("Ferry did not come up; log:\n" + logTail(40));
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
