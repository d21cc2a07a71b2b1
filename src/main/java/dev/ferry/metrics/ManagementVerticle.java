package dev.ferry.metrics;

import dev.ferry.config.FerryConfig;
import dev.ferry.health.Health;
import dev.ferry.health.HealthHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;

/**
 * The management listener on {@code metrics.host}:{@code metrics.port}: {@code GET /metrics} and
 * {@code GET /health/live}, {@code /health/ready}, for Prometheus and the kubelet. Kept off the API
 * port because the meters name every tenant, queue and destination host, which no tenant may read
 * about another; an operator exposes this port to the monitoring network only. Plain HTTP, no
 * token, one instance (scrapes and probes are rare, and the scrape itself runs off the event loop).
 * Deployed by {@code Ferry} before readiness turns on, undeployed after the API and delivery have
 * drained, so probes see the whole shutdown.
 */
public final class ManagementVerticle extends VerticleBase {
  private final FerryConfig.Metrics config;
  private final FerryMetrics metrics;
  private final Health health;
  private HttpServer server;

  public ManagementVerticle(FerryConfig.Metrics config, FerryMetrics metrics, Health health) {
    this.config = Objects.requireNonNull(config);
    this.metrics = Objects.requireNonNull(metrics);
    this.health = Objects.requireNonNull(health);
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    new HealthHandler(health).mount(router);
    router.get("/metrics").handler(new MetricsHandler(metrics));
    router.route().last().handler(ManagementVerticle::notFound);
    server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setHost(config.host())
                .setPort(config.port())
                .setTcpNoDelay(true));
    return server
        .requestHandler(router)
        .listen()
        .recover(
            e ->
                Future.failedFuture(
                    new ListenFailed(
                        "the management listener (metrics.host, metrics.port) cannot listen on "
                            + config.host()
                            + ":"
                            + config.port()
                            + ": "
                            + describe(e)
                            + "; choose another metrics.port, or set metrics.enabled to false")));
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** The port it listens on (the one chosen when {@code metrics.port} is 0). */
  public int port() {
    return server.actualPort();
  }

  private static void notFound(RoutingContext ctx) {
    ctx.response()
        .setStatusCode(404)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(
            "{\"error\":\"not found: the management port serves /metrics, /health/live and /health/ready\","
                + "\"code\":\"not_found\"}");
  }

  /**
   * A bind that failed: an operator's matter (port taken, address not local), so no stack trace.
   */
  static final class ListenFailed extends RuntimeException {
    ListenFailed(String message) {
      super(message, null, false, false);
    }
  }

  private static String describe(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
