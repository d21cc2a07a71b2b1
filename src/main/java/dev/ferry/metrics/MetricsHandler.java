package dev.ferry.metrics;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /metrics}: every meter in the Prometheus text format. Served without the QStash token
 * (like the health endpoints) and holding no secret. The scrape runs off the event loop: with many
 * queues it takes a few milliseconds.
 */
public final class MetricsHandler implements Handler<RoutingContext> {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final FerryMetrics metrics;

  public MetricsHandler(FerryMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.vertx()
        .executeBlocking(() -> metrics.scrape().orElse(""), false)
        .onSuccess(
            text -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE).end(text))
        .onFailure(ctx::fail);
  }
}
