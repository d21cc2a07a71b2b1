package dev.ferry.health;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * {@code GET /health/live} (200 while the process answers HTTP and no store is closed for good,
 * else 503 with the stores that are) and {@code GET /health/ready} (200 when {@link Health} says
 * ready, else 503 with the failing checks). Served without the QStash token; the answers hold no
 * secret, only check names and the reason a check is down.
 */
public final class HealthHandler {
  public static final String LIVE = "/health/live";
  public static final String READY = "/health/ready";

  private final Health health;

  public HealthHandler(Health health) {
    this.health = health;
  }

  public void mount(Router router) {
    router.get(LIVE).handler(this::live);
    router.get(READY).handler(this::ready);
  }

  private void live(RoutingContext ctx) {
    Health.Liveness l = health.liveness();
    if (l.live()) {
      json(ctx, 200, new JsonObject().put("status", "UP"));
    } else {
      json(ctx, 503, new JsonObject().put("status", "DOWN").put("checks", describe(l.down())));
    }
  }

  private void ready(RoutingContext ctx) {
    health
        .readiness()
        .onSuccess(
            r ->
                json(
                    ctx,
                    r.ready() ? 200 : 503,
                    new JsonObject()
                        .put("status", r.ready() ? "UP" : "DOWN")
                        .put("checks", describe(r.checks()))))
        .onFailure(ctx::fail);
  }

  private static JsonObject describe(Map<String, Health.Check> checks) {
    JsonObject json = new JsonObject();
    checks.forEach((name, check) -> json.put(name, check.up() ? "UP" : "DOWN: " + check.detail()));
    return json;
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(body.encode());
  }
}
