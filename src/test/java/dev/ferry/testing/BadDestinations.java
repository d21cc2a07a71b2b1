package dev.ferry.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Destinations on 127.0.0.1 (port 0) that misbehave in one precise way each, written on raw TCP so
 * nothing in an HTTP server library smooths the fault over. Each records its connections: when they
 * were opened and closed, and how many bytes it wrote. Start from a JUnit thread.
 */
public final class BadDestinations {
  private final Vertx vertx;

  public BadDestinations(Vertx vertx) {
    this.vertx = vertx;
  }

  /** One connection as the bad destination saw it. */
  public static final class Connection {
    public final long openedNanos = System.nanoTime();
    public volatile long closedNanos;
    public final AtomicLong written = new AtomicLong();

    /** Milliseconds from accept to close, or -1 while still open. */
    public long openMillis() {
      return closedNanos == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(closedNanos - openedNanos);
    }
  }

  /** A started bad destination: its port and what it saw. */
  public record Server(int port, List<Connection> connections) {
    public String url(String scheme, String path) {
      return scheme + "://127.0.0.1:" + port + path;
    }

    public String url(String path) {
      return url("http", path);
    }

    /** Waits until {@code n} connections were closed (by either side). */
    public List<Connection> awaitClosed(int n, long timeoutMillis) {
      try {
        Polls.within(Duration.ofMillis(timeoutMillis))
            .until(() -> connections.stream().filter(c -> c.closedNanos != 0).count() >= n);
        return connections;
      } catch (ConditionTimeoutException e) {
        throw new AssertionError(
            "expected " + n + " closed connections, saw " + connections.size() + " opened");
      }
    }
  }

  /** Accepts, reads the request, never answers. */
  public Server silent() throws Exception {
    return start(new NetServerOptions(), (socket, c) -> socket.handler(b -> {}));
  }

  /** Answers a complete 200 response one byte per {@code periodMillis}, from its first byte. */
  public Server trickling(long periodMillis) throws Exception {
    byte[] response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes();
    return start(
        new NetServerOptions(),
        (socket, c) -> {
          int[] next = {0};
          boolean[] started = {false};
          socket.handler(
              b -> {
                if (started[0]) return;
                started[0] = true;
                vertx.setPeriodic(
                    periodMillis,
                    t -> {
                      if (c.closedNanos != 0 || next[0] == response.length) {
                        vertx.cancelTimer(t);
                      } else {
                        socket.write(Buffer.buffer(new byte[] {response[next[0]++]}));
                        c.written.incrementAndGet();
                      }
                    });
              });
        });
  }

  /** Answers {@code status} with an endless chunked body, as fast as the client reads it. */
  public Server endless(int status) throws Exception {
    Buffer chunk =
        Buffer.buffer(Integer.toHexString(64 * 1024) + "\r\n" + "x".repeat(64 * 1024) + "\r\n");
    return start(
        new NetServerOptions(),
        (socket, c) -> {
          boolean[] started = {false};
          socket.handler(
              b -> {
                if (started[0]) return;
                started[0] = true;
                socket.write(
                    "HTTP/1.1 "
                        + status
                        + " Whatever\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n");
                Runnable[] pump = new Runnable[1];
                // A burst at a time, then yield: a write to a closed socket never fills the queue,
                // and the close handler that stops the pump runs on this event loop, so a loop
                // that waited for either would spin forever once the client hung up.
                pump[0] =
                    () -> {
                      for (int i = 0; i < 16 && c.closedNanos == 0; i++) {
                        if (socket.writeQueueFull()) {
                          socket.drainHandler(v -> pump[0].run());
                          return;
                        }
                        socket.write(chunk);
                        c.written.addAndGet(chunk.length());
                      }
                      if (c.closedNanos == 0) vertx.runOnContext(v -> pump[0].run());
                    };
                pump[0].run();
              });
        });
  }

  /** Reads the request, then closes the connection without a byte of response. */
  public Server closesBeforeResponse() throws Exception {
    return start(new NetServerOptions(), (socket, c) -> socket.handler(b -> socket.close()));
  }

  /**
   * Sends a 200 promising 100 body bytes, 3 of them, then resets the connection (RST: SO_LINGER 0).
   */
  public Server resetsMidBody() throws Exception {
    return start(
        new NetServerOptions().setSoLinger(0),
        (socket, c) ->
            socket.handler(
                b -> {
                  socket
                      .write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc")
                      .onComplete(ar -> vertx.setTimer(50, t -> socket.close()));
                }));
  }

  /** Plain TCP that answers anything with a plain HTTP 400: a TLS client's handshake fails. */
  public Server plainTcp() throws Exception {
    return start(
        new NetServerOptions(),
        (socket, c) ->
            socket.handler(
                b ->
                    socket.end(
                        Buffer.buffer("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"))));
  }

  /**
   * A real HTTPS server whose certificate is self-signed (generated now): not trusted by default.
   */
  public Server selfSignedTls() throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create("127.0.0.1");
    List<Connection> connections = new CopyOnWriteArrayList<>();
    var server =
        vertx
            .createHttpServer(
                new HttpServerOptions().setSsl(true).setKeyCertOptions(cert.keyCertOptions()))
            .connectionHandler(
                conn -> {
                  Connection c = new Connection();
                  connections.add(c);
                  conn.closeHandler(v -> c.closedNanos = System.nanoTime());
                })
            .requestHandler(r -> r.response().end("ok"))
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    return new Server(server.actualPort(), connections);
  }

  /** A port nothing listens on (bound once, then closed). */
  public static int refusedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private interface Behaviour {
    void on(NetSocket socket, Connection connection);
  }

  private Server start(NetServerOptions options, Behaviour behaviour) throws Exception {
    List<Connection> connections = new CopyOnWriteArrayList<>();
    Consumer<NetSocket> accept =
        socket -> {
          Connection c = new Connection();
          connections.add(c);
          socket.closeHandler(v -> c.closedNanos = System.nanoTime());
          behaviour.on(socket, c);
        };
    NetServer server =
        vertx
            .createNetServer(options.setHost("127.0.0.1").setPort(0))
            .connectHandler(accept::accept);
    server.listen().await(10, TimeUnit.SECONDS);
    return new Server(server.actualPort(), connections);
  }
}
