package dev.ferry.api;

import dev.ferry.config.FerryConfig;
import dev.ferry.tls.ServerTls;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;

/**
 * Serves the QStash-compatible HTTP API, over HTTPS (and HTTP/2) when {@code http.tls} is on.
 * Stateless; one instance per event loop, all sharing one port.
 */
public final class ApiVerticle extends VerticleBase {
  private final FerryConfig.Http http;
  private final ApiRouter.Dependencies deps;
  private final int port;
  private final ServerTls tls;
  private final Handler<HttpConnection> connections;
  private HttpServer server;

  /**
   * @param connections told of every connection the server accepts (the connections gauge)
   */
  public ApiVerticle(
      ApiRouter.Dependencies deps, int port, ServerTls tls, Handler<HttpConnection> connections) {
    this.connections = connections;
    this.http = deps.config().http();
    this.deps = deps;
    this.port = port;
    this.tls = tls;
  }

  @Override
  public Future<?> start() {
    RequestHeadLimits head = new RequestHeadLimits(deps.config().requests());
    server =
        vertx.createHttpServer(
            tls.applyTo(
                head.applyTo(
                    new HttpServerOptions()
                        .setHost(http.host())
                        .setPort(port)
                        .setCompressionSupported(false)
                        .setTcpNoDelay(true))));
    return server
        .connectionHandler(connections)
        .invalidRequestHandler(head::invalid)
        .requestHandler(head.countingHeaders(ApiRouter.create(vertx, deps)))
        .listen();
  }

  @Override
  public Future<?> stop() {
    // the drain fits in the whole shutdown's grace period
    long drain =
        Math.min(http.drainTimeout().toMillis(), deps.config().shutdown().gracePeriod().toMillis());
    return server == null
        ? Future.succeededFuture()
        : server.shutdown(drain, TimeUnit.MILLISECONDS);
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return server.actualPort();
  }
}
