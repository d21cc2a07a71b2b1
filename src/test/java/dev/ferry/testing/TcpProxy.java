package dev.ferry.testing;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A loopback TCP proxy in front of one port (a Redis node, say), for cutting one client off from
 * it: {@link #stop} refuses new connections and closes the open ones on both sides, {@link
 * #restart} listens again on the same port. Bytes are piped both ways with back-pressure. All state
 * lives on one Vert.x context; the methods may be called from any thread and return Futures ({@code
 * startBlocking} and {@code close} wait, for JUnit threads).
 */
public final class TcpProxy implements AutoCloseable {
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

  private final Vertx vertx;
  private final Context context;
  private final NetClient client;
  private final int targetPort;
  private final int port;

  /**
   * Both sides of every proxied connection, and accepted ones still connecting: on context only.
   */
  private final Set<NetSocket> open = new HashSet<>();

  /** Null while stopped: on context only. */
  private NetServer server;

  private TcpProxy(Vertx vertx, Context context, int port, int targetPort) {
    this.vertx = vertx;
    this.context = context;
    this.port = port;
    this.targetPort = targetPort;
    this.client =
        vertx.createNetClient(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MILLIS));
  }

  /**
   * A proxy on a free loopback port (outside the ephemeral range, so that nothing takes it while
   * the proxy is stopped) to {@code 127.0.0.1:targetPort}, listening.
   */
  public static Future<TcpProxy> start(Vertx vertx, int targetPort) {
    return start(vertx, targetPort, 5);
  }

  private static Future<TcpProxy> start(Vertx vertx, int targetPort, int attempts) {
    TcpProxy proxy;
    try {
      proxy = new TcpProxy(vertx, vertx.getOrCreateContext(), Ports.freePort(), targetPort);
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    return proxy
        .restart()
        .map(proxy)
        .recover(
            taken -> {
              proxy.client.close();
              return attempts > 1
                  ? start(vertx, targetPort, attempts - 1)
                  : Future.failedFuture(taken);
            });
  }

  /** {@link #start}, waiting for it: for JUnit threads. */
  public static TcpProxy startBlocking(Vertx vertx, int targetPort) throws Exception {
    return start(vertx, targetPort).await(10, TimeUnit.SECONDS);
  }

  /** The port clients connect to; the same across {@link #stop} and {@link #restart}. */
  public int port() {
    return port;
  }

  public int targetPort() {
    return targetPort;
  }

  /**
   * Stops listening (new connections are refused) and closes every proxied connection on both
   * sides: to the client and to the target it looks as if the other end went away.
   */
  public Future<Void> stop() {
    return onContext(
        () -> {
          NetServer listening = server;
          server = null;
          Future<Void> closed = listening == null ? Future.succeededFuture() : listening.close();
          return closed.compose(v -> closeAll());
        });
  }

  /**
   * Drops every byte that arrives on the connections open now, in both directions, without closing
   * them: to both ends they hang, as over a network path that died without a reset. New connections
   * are proxied as usual.
   */
  public Future<Void> freezeOpen() {
    return onContext(
        () -> {
          open.forEach(socket -> socket.handler(dropped -> {}));
          return Future.succeededFuture();
        });
  }

  /** Listens again on {@link #port}, proxying new connections; does nothing if it listens. */
  public Future<Void> restart() {
    return onContext(
        () -> {
          if (server != null) return Future.succeededFuture();
          NetServer starting =
              vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(port));
          return starting
              .connectHandler(this::accept)
              .listen()
              .onSuccess(s -> server = s)
              .mapEmpty();
        });
  }

  /** Whether it listens (between {@link #restart} and {@link #stop}). */
  public Future<Boolean> listening() {
    return onContext(() -> Future.succeededFuture(server != null));
  }

  /** How many sockets (client and target sides both count) are open. */
  public Future<Integer> openSockets() {
    return onContext(() -> Future.succeededFuture(open.size()));
  }

  private void accept(NetSocket inbound) {
    inbound.pause(); // nothing is read until the target side is there to take it
    track(inbound);
    client
        .connect(targetPort, "127.0.0.1")
        .onSuccess(
            outbound -> {
              track(outbound);
              if (!open.contains(inbound)) { // cut while connecting
                outbound.close();
                return;
              }
              // either side closing closes the other, as a proxy in the network path would
              inbound.closeHandler(v -> closed(inbound, outbound));
              outbound.closeHandler(v -> closed(outbound, inbound));
              inbound.pipeTo(outbound);
              outbound.pipeTo(inbound);
            })
        .onFailure(unreachable -> inbound.close());
  }

  private void track(NetSocket socket) {
    open.add(socket);
    socket.closeHandler(v -> open.remove(socket));
    socket.exceptionHandler(e -> socket.close()); // a reset: the close handler cleans up
  }

  private void closed(NetSocket socket, NetSocket peer) {
    open.remove(socket);
    peer.close();
  }

  private Future<Void> closeAll() {
    List<Future<Void>> closing = List.copyOf(open).stream().map(NetSocket::close).toList();
    open.clear();
    return Future.join(closing).mapEmpty();
  }

  private <T> Future<T> onContext(Supplier<Future<T>> action) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(done));
    return done.future();
  }

  /** Stops and closes the client side; waits (at most 10 s), so call it from a JUnit thread. */
  @Override
  public void close() throws Exception {
    stop().eventually(client::close).await(10, TimeUnit.SECONDS);
  }
}
