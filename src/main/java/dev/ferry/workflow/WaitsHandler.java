package dev.ferry.workflow;

import dev.ferry.api.Durations;
import dev.ferry.api.TokenAuth;
import dev.ferry.api.publish.PublishCommands;
import dev.ferry.config.FerryConfig;
import dev.ferry.error.ApiException;
import dev.ferry.model.WorkflowWaiter;
import dev.ferry.store.WorkflowRunStore;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v2/wait/{eventId}} (the SDK's {@code waitForEvent}), {@code POST
 * /v2/notify/[{runId}/]{eventId}} and {@code GET /v2/waiters/{eventId}}.
 */
public final class WaitsHandler {
  /** The SDK's default wait. */
  private static final Duration DEFAULT_TIMEOUT = Duration.ofDays(7);

  private static final int MAX_EVENT_ID = 256;

  private final WorkflowWaits waits;
  private final WorkflowRunStore runs;
  private final FerryConfig.Limits limits;
  private final Clock clock;

  public WaitsHandler(
      WorkflowWaits waits, WorkflowRunStore runs, FerryConfig.Limits limits, Clock clock) {
    this.waits = waits;
    this.runs = runs;
    this.limits = limits;
    this.clock = clock;
  }

  public void mount(Router router) {
    router.post("/v2/wait/:eventId").handler(this::waitFor);
    router.post("/v2/notify/:eventId").handler(ctx -> notify(ctx, null));
    router.post("/v2/notify/:runId/:eventId").handler(ctx -> notify(ctx, ctx.pathParam("runId")));
    router.get("/v2/waiters/:eventId").handler(this::list);
  }

  private void waitFor(RoutingContext ctx) {
    String tenant = TokenAuth.tenant(ctx);
    String eventId = eventId(ctx);
    JsonObject body = object(ctx.body().buffer());
    Map<String, List<String>> headers =
        PublishCommands.configuration(WorkflowHeaders.lowerCase(ctx.request().headers()));
    String runId = WorkflowHeaders.single(headers, WorkflowHeaders.RUN_ID);
    if (runId == null || runId.isBlank()) {
      throw ApiException.badRequest("Upstash-Workflow-RunId: a wait belongs to a workflow run");
    }
    JsonObject step = step(body);
    Duration timeout = timeout(body.getValue("timeout"));
    Map<String, List<String>> timeoutHeaders =
        body.getValue("timeoutHeaders") == null
            ? headers
            : PublishCommands.configuration(jsonObject(body, "timeoutHeaders"));
    long now = clock.millis();
    runs.find(tenant, runId.trim())
        .compose(
            run -> {
              if (run.isEmpty() || !run.get().active()) {
                throw ApiException.badRequest(
                    "workflow run " + runId.trim() + " is not active (it ended, or never started)");
              }
              String url = run.get().url();
              // refuse now what would fail when the event arrives
              PublishCommands.of(tenant, url, headers, new byte[0], null, limits, now);
              PublishCommands.of(tenant, url, timeoutHeaders, new byte[0], null, limits, now);
              WorkflowWaiter waiter =
                  new WorkflowWaiter(
                      tenant,
                      eventId,
                      runId.trim(),
                      step.getInteger("stepId"),
                      url,
                      headers,
                      url,
                      timeoutHeaders,
                      step.encode(),
                      now + timeout.toMillis());
              return waits.register(waiter);
            })
        .onSuccess(
            added -> {
              if (!added) {
                ctx.fail(
                    ApiException.badRequest("workflow run " + runId.trim() + " is not active"));
              } else {
                ctx.json(new JsonObject());
              }
            })
        .onFailure(ctx::fail);
  }

  private void notify(RoutingContext ctx, String runId) {
    String tenant = TokenAuth.tenant(ctx);
    String eventId = eventId(ctx);
    Buffer body = ctx.body().buffer();
    waits
        .notify(tenant, eventId, runId, body == null ? new byte[0] : body.getBytes())
        .onSuccess(
            notified -> {
              JsonArray out = new JsonArray();
              for (WorkflowWaits.Notified n : notified) {
                out.add(
                    new JsonObject()
                        .put("waiter", WaitSteps.json(n.waiter()))
                        .put("messageId", n.messageId())
                        .put("error", ""));
              }
              ctx.json(out);
            })
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    String tenant = TokenAuth.tenant(ctx);
    waits
        .waiters(tenant, eventId(ctx))
        .onSuccess(all -> ctx.json(new JsonArray(all.stream().map(WaitSteps::json).toList())))
        .onFailure(ctx::fail);
  }

  private static String eventId(RoutingContext ctx) {
    String id = ctx.pathParam("eventId");
    if (id == null || id.isBlank()) throw ApiException.badRequest("eventId: must not be empty");
    if (id.length() > MAX_EVENT_ID) {
      throw ApiException.badRequest("eventId: at most " + MAX_EVENT_ID + " characters");
    }
    return id;
  }

  private static JsonObject object(Buffer body) {
    if (body == null || body.length() == 0) {
      throw ApiException.badRequest("body: a wait needs a JSON object with its step");
    }
    try {
      Object parsed = Json.decode(body);
      if (parsed instanceof JsonObject o) return o;
    } catch (DecodeException e) {
      throw ApiException.badRequest("body: not valid JSON (" + e.getMessage() + ")");
    }
    throw ApiException.badRequest("body: must be a JSON object");
  }

  private static JsonObject step(JsonObject body) {
    JsonObject step = jsonObject(body, "step");
    if (step == null) throw ApiException.badRequest("step: missing; the waiting step is required");
    if (!(step.getValue("stepId") instanceof Number n) || n.intValue() < 0) {
      throw ApiException.badRequest("step.stepId: must be a non-negative number");
    }
    for (String field : List.of("stepName", "stepType")) {
      if (!(step.getValue(field) instanceof String s) || s.isBlank()) {
        throw ApiException.badRequest("step." + field + ": must be a non-empty string");
      }
    }
    return step;
  }

  private static JsonObject jsonObject(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) return null;
    if (value instanceof JsonObject o) return o;
    throw ApiException.badRequest(field + ": must be a JSON object");
  }

  private static Duration timeout(Object value) {
    if (value == null) return DEFAULT_TIMEOUT;
    try {
      if (value instanceof Number n) {
        if (n.longValue() < 0) throw new IllegalArgumentException("must not be negative");
        return Duration.ofSeconds(n.longValue());
      }
      if (value instanceof String s) return Durations.parse(s);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("timeout: " + e.getMessage());
    }
    throw ApiException.badRequest("timeout: must be a duration such as \"30s\" or a number of s");
  }

  /** JSON decoding that keeps objects as {@link JsonObject}. */
  private static final class Json {
    static Object decode(Buffer b) {
      return io.vertx.core.json.Json.decodeValue(b);
    }
  }
}
