package dev.ferry.health;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses QStash API requests once shutdown has begun ({@link Health#accepting()} is false): {@code
 * 503} with {@code Retry-After} and {@code Connection: close}, before the body is read, so a
 * publish arriving during the drain is never half-taken and the client knows to try again (another
 * replica, or this one after its restart). Requests that got past this gate earlier finish
 * normally. Mounted ahead of the API routes, behind {@code /health} and {@code /metrics}.
 */
public final class ShutdownGate implements Handler<RoutingContext> {
  /** Seconds a refused client is asked to wait: about what a restart takes. */
  static final String RETRY_AFTER_SECONDS = "5";

  private final Health health;

  public ShutdownGate(Health health) {
    this.health = health;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (health.accepting()) {
      ctx.next();
      return;
    }
    ctx.response()
        .setStatusCode(503)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
        .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
        .end(
            "{\"error\":\"Ferry is not accepting requests (starting or shutting down); retry later\","
                + "\"code\":\"unavailable\"}");
  }
}
