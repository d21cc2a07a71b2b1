package dev.ferry.api;

import dev.ferry.config.FerryConfig;
import dev.ferry.tls.ServerTls;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;

/**
 * Serves the QStash-compatible HTTP API, over HTTPS (and HTTP/2) when {@code http.tls} is on. Stateless; one instance
 * per event loop, all sharing one port.
 */
public final class ApiVerticle extends VerticleBase {
  /** Room for a 4 KiB destination URL plus the route prefix and config query parameters (Vert.x default: 4096). */
  private static final int MAX_REQUEST_LINE = 16 * 1024;

  private final FerryConfig.Http http;
  private final ApiRouter.Dependencies deps;
  private final int port;
  private final ServerTls tls;
  private HttpServer server;

  public ApiVerticle(ApiRouter.Dependencies deps, int port, ServerTls tls) {
    this.http = deps.config().http();
    this.deps = deps;
    this.port = port;
    this.tls = tls;
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer(tls.applyTo(new HttpServerOptions().setHost(http.host()).setPort(port)
        .setCompressionSupported(false).setTcpNoDelay(true)
        .setMaxInitialLineLength(MAX_REQUEST_LINE)));
    return server.requestHandler(ApiRouter.create(vertx, deps)).listen();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture()
        : server.shutdown(http.drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return server.actualPort();
  }
}
