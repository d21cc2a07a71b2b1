package dev.ferry.api.manage;

import dev.ferry.api.AddressCheck;
import dev.ferry.api.CallerIp;
import dev.ferry.api.DestinationPath;
import dev.ferry.api.TokenAuth;
import dev.ferry.api.publish.ScheduleRequest;
import dev.ferry.config.FerryConfig;
import dev.ferry.error.ApiException;
import dev.ferry.ingest.Ids;
import dev.ferry.model.Schedule;
import dev.ferry.store.DlqStore;
import dev.ferry.store.MessageStore;
import dev.ferry.store.ScheduleStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /v2/schedules}: create or replace ({@code POST /v2/schedules/{destination}}), list, get,
 * delete, and pause / resume with both {@code PATCH} (the SDKs) and {@code POST} (the OpenAPI).
 * Every change is passed to {@code scheduleChanged} so the cron verticle picks it up at once. Runs
 * on the API event loops.
 */
public final class SchedulesHandler {
  /**
   * A POST remainder that is a command on a schedule rather than a destination. A destination URL
   * never matches (its scheme has a ':'), and a URL-group name has no '/', so the two cannot be
   * confused (docs/compatibility.md#destinations-in-the-path).
   */
  private static final Pattern COMMAND =
      Pattern.compile("([A-Za-z0-9._-]+)/(pause|resume)/?(\\?.*)?");

  private final ScheduleStore schedules;
  private final FerryConfig.Limits limits;
  private final Clock clock;
  private final BiConsumer<String, String> scheduleChanged;
  private final ScheduleStates states;
  private final AddressCheck addresses;

  public SchedulesHandler(
      ScheduleStore schedules,
      MessageStore messages,
      DlqStore dlq,
      FerryConfig.Limits limits,
      Clock clock,
      BiConsumer<String, String> scheduleChanged,
      AddressCheck addresses) {
    this.addresses = addresses;
    this.schedules = schedules;
    this.limits = limits;
    this.clock = clock;
    this.scheduleChanged = scheduleChanged;
    this.states = new ScheduleStates(messages, dlq);
  }

  public void mount(Router router) {
    router.get("/v2/schedules").handler(this::list);
    router.get("/v2/schedules/:id").handler(this::get);
    router.delete("/v2/schedules/:id").handler(this::delete);
    router
        .patch("/v2/schedules/:id/pause")
        .handler(ctx -> setPaused(ctx, ctx.pathParam("id"), true));
    router
        .patch("/v2/schedules/:id/resume")
        .handler(ctx -> setPaused(ctx, ctx.pathParam("id"), false));
    router.post("/v2/schedules/*").handler(this::post);
  }

  /** Raw URI on purpose (as for publish): the destination URL is in the path unencoded. */
  private void post(RoutingContext ctx) {
    String uri = ctx.request().uri();
    if (uri.startsWith(ScheduleRequest.PREFIX)) {
      Matcher command = COMMAND.matcher(uri.substring(ScheduleRequest.PREFIX.length()));
      if (command.matches()) {
        setPaused(ctx, command.group(1), command.group(2).equals("pause"));
        return;
      }
    }
    create(ctx);
  }

  private void create(RoutingContext ctx) {
    String tenant = TokenAuth.tenant(ctx);
    Buffer body = ctx.body().buffer();
    long now = clock.millis();
    ScheduleRequest request =
        ScheduleRequest.parse(
            ctx.request().uri(),
            ctx.request().headers(),
            body == null ? new byte[0] : body.getBytes(),
            limits,
            now);
    addresses.url(
        request.destination(),
        "destination"); // a URL-group name passes: its endpoints were checked
    addresses.callbackHeaders(request.pendingConfig());
    String id = request.scheduleId() != null ? request.scheduleId() : Ids.newScheduleId();
    String callerIp = CallerIp.of(ctx);
    schedules
        .get(tenant, id)
        .compose(existing -> existing.isPresent() ? Future.succeededFuture() : withinLimit(tenant))
        .compose(v -> schedules.put(request.toSchedule(tenant, id, callerIp, now)))
        .onSuccess(
            stored -> {
              scheduleChanged.accept(tenant, id);
              ctx.response()
                  .setStatusCode(200)
                  .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                  .end(new JsonObject().put("scheduleId", id).encode());
            })
        .onFailure(ctx::fail);
  }

  private Future<Void> withinLimit(String tenant) {
    return schedules
        .list(tenant)
        .compose(
            all ->
                all.size() < limits.maxSchedules()
                    ? Future.succeededFuture()
                    : Future.failedFuture(
                        ApiException.limitReached(
                            "schedule_limit",
                            "schedule limit reached: at most "
                                + limits.maxSchedules()
                                + " schedules")));
  }

  private void list(RoutingContext ctx) {
    String tenant = TokenAuth.tenant(ctx);
    schedules
        .list(tenant)
        .compose(
            all ->
                states
                    .of(tenant, all)
                    .map(
                        known -> {
                          JsonArray array = new JsonArray();
                          long now = clock.millis();
                          all.forEach(s -> array.add(ScheduleJson.render(s, known, now)));
                          return array;
                        }))
        .onSuccess(array -> json(ctx, array.encode()))
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    String tenant = TokenAuth.tenant(ctx);
    existing(tenant, validId(ctx.pathParam("id")))
        .compose(
            s ->
                states
                    .of(tenant, List.of(s))
                    .map(known -> ScheduleJson.render(s, known, clock.millis())))
        .onSuccess(json -> json(ctx, json.encode()))
        .onFailure(ctx::fail);
  }

  /**
   * A schedule that does not exist answers 200 too, as QStash does: deleting what is not there is
   * not an error.
   */
  private void delete(RoutingContext ctx) {
    String tenant = TokenAuth.tenant(ctx);
    String id = validId(ctx.pathParam("id"));
    schedules
        .delete(tenant, id)
        .onSuccess(
            deleted -> {
              if (deleted) scheduleChanged.accept(tenant, id);
              JsonBodies.ok(ctx);
            })
        .onFailure(ctx::fail);
  }

  /** Idempotent: pausing a paused schedule is a 200 too. */
  private void setPaused(RoutingContext ctx, String rawId, boolean paused) {
    String tenant = TokenAuth.tenant(ctx);
    String id = validId(rawId);
    schedules
        .setPaused(tenant, id, paused)
        .onSuccess(
            stored -> {
              if (stored.isEmpty()) {
                ctx.fail(ApiException.notFound("schedule " + id + " not found"));
                return;
              }
              scheduleChanged.accept(tenant, id);
              JsonBodies.ok(ctx);
            })
        .onFailure(ctx::fail);
  }

  private Future<Schedule> existing(String tenant, String id) {
    return schedules
        .get(tenant, id)
        .compose(
            s ->
                s.isPresent()
                    ? Future.succeededFuture(s.get())
                    : Future.failedFuture(ApiException.notFound("schedule " + id + " not found")));
  }

  private static String validId(String id) {
    if (id == null || !DestinationPath.isValidName(id)) {
      throw ApiException.badRequest("invalid schedule id: only A-Z a-z 0-9 - _ . are allowed");
    }
    return id;
  }

  private static void json(RoutingContext ctx, String body) {
    ctx.response()
        .setStatusCode(200)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body);
  }
}
