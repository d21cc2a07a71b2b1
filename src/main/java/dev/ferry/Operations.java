package dev.ferry;

import dev.ferry.config.FerryConfig;
import dev.ferry.health.Health;
import dev.ferry.health.HealthHandler;
import dev.ferry.health.ShutdownGate;
import dev.ferry.logging.AccessLog;
import dev.ferry.logging.FailedAttemptLog;
import dev.ferry.logging.RefusedRequestLog;
import dev.ferry.metrics.FerryMetrics;
import dev.ferry.metrics.ManagementVerticle;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.List;

/**
 * What operators see of a running Ferry, and where it is served: metrics, readiness, the
 * rate-limited logs (failed attempts, refused requests) and their flush timer; the handlers mounted
 * on the API port ahead of the QStash routes, and the management listener. Built and driven by
 * {@link Ferry} on its start and close.
 */
final class Operations {
  private final FerryMetrics metrics;
  private final Health health;
  private final FailedAttemptLog failures;
  private final RefusedRequestLog refused;
  private long flushTimer = -1;

  Operations(
      FerryMetrics metrics, Health health, FailedAttemptLog failures, RefusedRequestLog refused) {
    this.metrics = metrics;
    this.health = health;
    this.failures = failures;
    this.refused = refused;
  }

  FerryMetrics metrics() {
    return metrics;
  }

  Health health() {
    return health;
  }

  RefusedRequestLog refused() {
    return refused;
  }

  /**
   * Ahead of the QStash routes and without the token: the API meters, the access log and {@code
   * /health/*} (load balancers probe the API port; the answers name no tenant), then the shutdown
   * gate. {@code /metrics} is not here: it names every tenant, so it is served by {@link
   * ManagementVerticle} only.
   */
  Handler<Router> apiRoutes(FerryConfig config) {
    return router -> {
      if (metrics.enabled()) {
        router.route().handler(metrics.httpServer());
      }
      if (config.logging().accessLog()) {
        router.route().handler(new AccessLog());
      }
      new HealthHandler(health).mount(router);
      router.route("/v2/*").handler(new ShutdownGate(health));
    };
  }

  /**
   * The management listener, when metrics are enabled; its deployment id joins {@code deployments}.
   * Deployed before the API so the probes pointed at it answer as soon as Ferry is ready. Its port,
   * or -1 when there is none.
   */
  Future<Integer> deployManagement(
      Vertx vertx, FerryConfig.Metrics config, List<String> deployments) {
    if (!metrics.enabled()) return Future.succeededFuture(-1);
    ManagementVerticle management = new ManagementVerticle(config, metrics, health);
    return vertx
        .deployVerticle(management)
        .map(
            id -> {
              deployments.add(id);
              return management.port();
            });
  }

  /** Writes out the rate-limited logs' summaries of left-out lines once a second. */
  void startFlushing(Vertx vertx) {
    flushTimer = vertx.setPeriodic(1000, t -> flush());
  }

  /** Stops the timer and writes out what is pending. */
  void stopFlushing(Vertx vertx) {
    vertx.cancelTimer(flushTimer);
    flush();
  }

  void flush() {
    failures.flush();
    refused.flush();
  }
}
