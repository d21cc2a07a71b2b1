package dev.ferry.api.manage;

import dev.ferry.api.QueryParams;
import dev.ferry.api.TokenAuth;
import dev.ferry.error.ApiException;
import dev.ferry.model.FlowControl;
import dev.ferry.model.FlowControlCommand;
import dev.ferry.model.FlowControlCommand.Kind;
import dev.ferry.model.FlowControlState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * {@code /v2/flowControl} (list with {@code search}, get, pause, resume, pin, unpin, resetRate,
 * reset) and {@code GET /v2/globalParallelism}. The keys' state lives in delivery; this only parses
 * and renders.
 */
public final class FlowControlHandler {
  /** What the handler needs from delivery, wired in {@code Wiring}. */
  public record Admin(Commands command, IntSupplier globalMax, IntSupplier globalCount) {}

  /**
   * Runs a command where the key's lane lives: on this process's delivery (one process), or on the
   * replica that owns the key (several replicas share the store).
   */
  @FunctionalInterface
  public interface Commands {
    /** Completes with the matching keys (empty: unknown key). */
    Future<List<FlowControlState>> run(String tenant, FlowControlCommand command);
  }

  private final Admin admin;

  public FlowControlHandler(Admin admin) {
    this.admin = admin;
  }

  public void mount(Router router) {
    router.get("/v2/flowControl").handler(this::list);
    router.get("/v2/flowControl/").handler(this::list);
    router
        .get("/v2/flowControl/:key")
        .handler(ctx -> one(ctx, FlowControlCommand.of(Kind.GET, key(ctx)), true));
    router
        .post("/v2/flowControl/:key/pause")
        .handler(ctx -> one(ctx, FlowControlCommand.of(Kind.PAUSE, key(ctx)), false));
    router
        .post("/v2/flowControl/:key/resume")
        .handler(ctx -> one(ctx, FlowControlCommand.of(Kind.RESUME, key(ctx)), false));
    router.post("/v2/flowControl/:key/pin").handler(ctx -> one(ctx, pin(ctx), false));
    router.post("/v2/flowControl/:key/unpin").handler(ctx -> one(ctx, unpin(ctx), false));
    router
        .post("/v2/flowControl/:key/resetRate")
        .handler(ctx -> one(ctx, FlowControlCommand.of(Kind.RESET_RATE, key(ctx)), false));
    router
        .post("/v2/flowControl/:key/reset")
        .handler(ctx -> one(ctx, FlowControlCommand.of(Kind.RESET, key(ctx)), false));
    router.get("/v2/globalParallelism").handler(this::global);
  }

  private void list(RoutingContext ctx) {
    String search = QueryParams.get(ctx, "search");
    admin
        .command()
        .run(
            TokenAuth.tenant(ctx),
            FlowControlCommand.of(Kind.LIST, search == null || search.isEmpty() ? null : search))
        .onSuccess(
            keys -> {
              JsonArray out = new JsonArray();
              keys.forEach(k -> out.add(json(k)));
              ctx.response().putHeader("Content-Type", "application/json").end(out.encode());
            })
        .onFailure(ctx::fail);
  }

  private void one(RoutingContext ctx, FlowControlCommand command, boolean show) {
    admin
        .command()
        .run(TokenAuth.tenant(ctx), command)
        .onSuccess(
            keys -> {
              if (keys.isEmpty()) {
                ctx.fail(ApiException.notFound("flow control key " + command.key() + " not found"));
              } else if (show) {
                ctx.response()
                    .putHeader("Content-Type", "application/json")
                    .end(json(keys.get(0)).encode());
              } else {
                JsonBodies.ok(ctx);
              }
            })
        .onFailure(ctx::fail);
  }

  private void global(RoutingContext ctx) {
    JsonObject out = new JsonObject(); // QStash omits the fields when 0 (the SDK defaults them)
    int max = admin.globalMax().getAsInt();
    int count = admin.globalCount().getAsInt();
    if (max > 0) out.put("parallelismMax", max);
    if (count > 0) out.put("parallelismCount", count);
    ctx.response().putHeader("Content-Type", "application/json").end(out.encode());
  }

  private static String key(RoutingContext ctx) {
    String key = ctx.pathParam("key");
    if (key == null || key.isBlank()) throw ApiException.badRequest("flow control key is required");
    return key;
  }

  private static FlowControlCommand pin(RoutingContext ctx) {
    Integer parallelism = intParam(ctx, "parallelism");
    Integer rate = intParam(ctx, "rate");
    Integer period = intParam(ctx, "period");
    if (parallelism == null && rate == null && period == null) {
      throw ApiException.badRequest("pin: give parallelism, rate and/or period (seconds)");
    }
    if (period != null && (period < 1 || period > FlowControl.MAX_PERIOD_SECONDS)) {
      throw ApiException.badRequest(
          "pin: period must be between 1 and " + FlowControl.MAX_PERIOD_SECONDS + " seconds");
    }
    return new FlowControlCommand(
        Kind.PIN, key(ctx), parallelism, rate, period == null ? null : period.longValue());
  }

  private static FlowControlCommand unpin(RoutingContext ctx) {
    boolean parallelism = "true".equalsIgnoreCase(QueryParams.get(ctx, "parallelism"));
    boolean rate = "true".equalsIgnoreCase(QueryParams.get(ctx, "rate"));
    return new FlowControlCommand(
        Kind.UNPIN, key(ctx), parallelism ? 1 : null, rate ? 1 : null, null);
  }

  private static Integer intParam(RoutingContext ctx, String name) {
    String v = QueryParams.get(ctx, name);
    if (v == null || v.isEmpty() || v.equals("undefined")) return null;
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= 0) return n;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.badRequest("pin: " + name + " must be a whole number, got \"" + v + "\"");
  }

  private static JsonObject json(FlowControlState s) {
    return new JsonObject()
        .put("flowControlKey", s.key())
        .put("waitListSize", s.waitListSize())
        .put("parallelismMax", s.parallelismMax())
        .put("parallelismCount", s.parallelismCount())
        .put("rateMax", s.rateMax())
        .put("rateCount", s.rateCount())
        .put("ratePeriod", s.ratePeriodSeconds())
        .put("ratePeriodStart", s.ratePeriodStart())
        .put("isPaused", s.paused())
        .put("isPinnedParallelism", s.pinnedParallelism())
        .put("isPinnedRate", s.pinnedRate());
  }
}
