package dev.ferry.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The proxy the fault tests put between one Ferry replica and Redis passes and cuts as told. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpProxyTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void passes_bytes_both_ways_cuts_every_connection_when_stopped_and_passes_again_when_restarted(
      Vertx vertx) throws Exception {
    // GIVEN an echo server that counts its open connections, behind a proxy
    AtomicInteger echoConnections = new AtomicInteger();
    NetServer echo =
        vertx
            .createNetServer()
            .connectHandler(
                socket -> {
                  echoConnections.incrementAndGet();
                  socket.closeHandler(v -> echoConnections.decrementAndGet());
                  socket.pipeTo(socket);
                })
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    try (TcpProxy proxy = TcpProxy.startBlocking(vertx, echo.actualPort());
        Socket client = connect(proxy.port())) {
      // WHEN a client sends a megabyte through it THEN the same megabyte comes back
      assertEchoes(client, 1 << 20);
      assertEquals(1, echoConnections.get());

      // WHEN the proxy is stopped
      proxy.stop().await(10, TimeUnit.SECONDS);

      // THEN the client's connection ends, the target's side is closed, new connections are refused
      assertConnectionEnds(client);
      Polls.within(WAIT).until(() -> echoConnections.get() == 0);
      assertEquals(0, proxy.openSockets().await(5, TimeUnit.SECONDS));
      assertThrows(ConnectException.class, () -> connect(proxy.port()).close());

      // WHEN it is started again THEN it passes bytes again, on the same port
      proxy.restart().await(10, TimeUnit.SECONDS);
      try (Socket again = connect(proxy.port())) {
        assertEchoes(again, 4096);
      }
      // AND a client closing its connection closes the target's side too
      Polls.within(WAIT).until(() -> echoConnections.get() == 0);
    } finally {
      echo.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static Socket connect(int port) throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout((int) WAIT.toMillis());
    return socket;
  }

  /**
   * Writes {@code size} random bytes (from another thread: the echo fills the buffers) and reads
   * them back.
   */
  private static void assertEchoes(Socket socket, int size) throws Exception {
    byte[] sent = new byte[size];
    ThreadLocalRandom.current().nextBytes(sent);
    CompletableFuture<Void> writing =
        CompletableFuture.runAsync(
            () -> {
              try {
                socket.getOutputStream().write(sent);
                socket.getOutputStream().flush();
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    byte[] received = socket.getInputStream().readNBytes(size);
    writing.get(10, TimeUnit.SECONDS);
    assertArrayEquals(sent, received);
  }

  private static void assertConnectionEnds(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    try {
      assertEquals(-1, in.read(), "end of stream");
    } catch (SocketException reset) {
      assertTrue(reset.getMessage().contains("reset"), reset.getMessage());
    }
  }
}
