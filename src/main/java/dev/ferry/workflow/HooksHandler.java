package dev.ferry.workflow;

import dev.ferry.config.FerryConfig;
import dev.ferry.error.ApiException;
import dev.ferry.model.HeaderNames;
import dev.ferry.model.WorkflowRun;
import dev.ferry.model.WorkflowStep;
import dev.ferry.store.WorkflowRunStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code <any method> /v2/workflows/hooks/{userId}/{runId}/{eventId}}, called without a token by
 * whoever was given a webhook's URL. What authorises it is the event id: Ferry minted it for that
 * run's {@code CreateWebhook} step ({@link WebhookSteps}); a call naming any other user, run or
 * event is a 404 that does not say which part is wrong. An accepted call ends the run's {@code
 * waitForWebhook} with the request as the SDK rebuilds it, or is kept until the run waits.
 */
public final class HooksHandler implements Handler<RoutingContext> {
  /** Framing headers, which describe Ferry's connection and not the call itself. */
  private static final Set<String> NOT_PASSED =
      Set.of("host", "content-length", "transfer-encoding", "connection", "keep-alive");

  private final WebhookUsers users;
  private final WorkflowRunStore runs;
  private final WorkflowWaits waits;

  HooksHandler(List<FerryConfig.Tenant> tenants, WorkflowRunStore runs, WorkflowWaits waits) {
    this.users = new WebhookUsers(tenants);
    this.runs = runs;
    this.waits = waits;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String runId = ctx.pathParam("runId");
    String eventId = ctx.pathParam("eventId");
    Optional<String> tenant = users.tenant(ctx.pathParam("userId"));
    if (tenant.isEmpty()) {
      ctx.fail(notFound());
      return;
    }
    byte[] call = request(ctx).toBuffer().getBytes();
    Future<Optional<WorkflowRun>> run = runs.find(tenant.get(), runId);
    Future<List<WorkflowStep>> steps = runs.steps(tenant.get(), runId);
    Future.all(run, steps)
        .compose(
            v -> {
              boolean active = run.result().map(WorkflowRun::active).orElse(false);
              boolean created =
                  steps.result().stream()
                      .filter(WorkflowStep::isStep)
                      .anyMatch(
                          s ->
                              WebhookSteps.createdEventId(s.body())
                                  .map(eventId::equals)
                                  .orElse(false));
              if (!active || !created) throw notFound();
              return waits.hookCalled(tenant.get(), runId, eventId, call);
            })
        .onSuccess(
            taken -> {
              if (taken) {
                ctx.json(new JsonObject());
              } else {
                ctx.fail(
                    new ApiException(
                        409,
                        "conflict",
                        "a call of this webhook is already kept for the run's next wait;"
                            + " try again once the run has taken it"));
              }
            })
        .onFailure(ctx::fail);
  }

  /** The call as the SDK's {@code waitForWebhook} rebuilds it into a {@code Request}. */
  private static JsonObject request(RoutingContext ctx) {
    HttpServerRequest r = ctx.request();
    JsonObject header = new JsonObject();
    for (String name : r.headers().names()) {
      if (NOT_PASSED.contains(name.toLowerCase(Locale.ROOT))) continue;
      header.put(HeaderNames.canonical(name), new JsonArray(r.headers().getAll(name)));
    }
    Buffer body = ctx.body().buffer();
    String host = r.authority() != null ? r.authority().toString() : r.getHeader("Host");
    return new JsonObject()
        .put("method", r.method().name())
        .put("proto", r.scheme() == null ? "http" : r.scheme())
        .put("host", host == null ? "" : host)
        .put("url", r.uri())
        .put("header", header)
        .put(
            "body",
            Base64.getEncoder().encodeToString(body == null ? new byte[0] : body.getBytes()));
  }

  private static ApiException notFound() {
    return ApiException.notFound("no such webhook");
  }
}
