package dev.ferry.store.redis;

import dev.ferry.testing.Ports;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Placeholder until testing/RedisServer lands: a throw-away redis-server on a free port. */
final class TestRedis implements AutoCloseable {
  private final Process process;
  private final int port;

  private TestRedis(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static TestRedis start() throws Exception {
    int port = Ports.freePort();
    Path dir = Files.createTempDirectory("redis");
    Process p =
        new ProcessBuilder(
                "redis-server",
                "--port",
                "" + port,
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--dir",
                dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("out.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return new TestRedis(p, port);
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) throw notYet;
        Thread.sleep(20);
      }
    }
  }

  String url() {
    return "redis://127.0.0.1:" + port;
  }

  @Override
  public void close() throws Exception {
    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
  }
}
