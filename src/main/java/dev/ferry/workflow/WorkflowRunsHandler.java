package dev.ferry.workflow;

import dev.ferry.api.TokenAuth;
import dev.ferry.error.ApiException;
import dev.ferry.model.WorkflowRun;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /v2/workflows/runs}: the step list of a running run (the SDK's lazy fetch), the endpoint's
 * end of a run, and cancels by run id.
 */
public final class WorkflowRunsHandler {
  private final WorkflowRuns runs;

  public WorkflowRunsHandler(WorkflowRuns runs) {
    this.runs = runs;
  }

  public void mount(Router router) {
    router.get("/v2/workflows/runs/:runId").handler(this::steps);
    router.delete("/v2/workflows/runs/:runId").handler(this::end);
    router.delete("/v2/workflows/runs").handler(this::cancelMany);
  }

  /**
   * The run's steps as the SDK parses them. An ended run is a 404, which the endpoint reads as "the
   * run has ended" and answers without retrying.
   */
  private void steps(RoutingContext ctx) {
    String tenant = TokenAuth.tenant(ctx);
    String runId = ctx.pathParam("runId");
    runs.store()
        .find(tenant, runId)
        .compose(
            run -> {
              if (run.isEmpty() || !run.get().active()) {
                throw ApiException.notFound("workflow run " + runId + " not found or ended");
              }
              return runs.store().steps(tenant, runId);
            })
        .onSuccess(
            steps ->
                ctx.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(StepList.encode(steps, steps.size() - 1)))
        .onFailure(ctx::fail);
  }

  /**
   * {@code ?cancel=true} cancels; otherwise the body is the route's return value and the run has
   * succeeded. Ending an ended run again is no error: the endpoint would retry its last step on
   * one.
   */
  private void end(RoutingContext ctx) {
    String tenant = TokenAuth.tenant(ctx);
    String runId = ctx.pathParam("runId");
    String cancel = ctx.queryParams().get("cancel");
    if (cancel != null && !cancel.equals("true") && !cancel.equals("false")) {
      throw ApiException.badRequest("cancel: must be true or false, got \"" + cancel + "\"");
    }
    Buffer body = ctx.body().buffer();
    byte[] response = body == null ? new byte[0] : body.getBytes();
    runs.store()
        .find(tenant, runId)
        .compose(
            found -> {
              if (found.isEmpty()) {
                throw ApiException.notFound("workflow run " + runId + " not found");
              }
              return "true".equals(cancel)
                  ? runs.cancel(tenant, runId)
                  : runs.finish(tenant, runId, response);
            })
        .onSuccess(changed -> ctx.json(new JsonObject()))
        .onFailure(ctx::fail);
  }

  /**
   * {@code DELETE /v2/workflows/runs}: by {@code workflowRunIds}, else every running run the
   * filters take (at most {@code count}, 100 by default); {@code {"cancelled": n}}.
   */
  private void cancelMany(RoutingContext ctx) {
    List<String> ids = new ArrayList<>();
    for (String value : ctx.queryParams().getAll("workflowRunIds")) {
      for (String part : value.split(",")) {
        if (!part.isBlank() && !ids.contains(part.trim())) ids.add(part.trim());
      }
    }
    String tenant = TokenAuth.tenant(ctx);
    int count = WorkflowLogsHandler.count(ctx.queryParams().get("count"), 100);
    RunFilter filter = RunFilter.parse(ctx.queryParams(), true);
    if (ctx.queryParams().contains("workflowRunIds") && ids.isEmpty()) {
      throw ApiException.badRequest("workflowRunIds: give at least one run id");
    }
    Future<List<String>> chosen =
        !ids.isEmpty()
            ? Future.succeededFuture(ids)
            : runs.store()
                .list(tenant, null, count, r -> r.active() && filter.test(r))
                .map(found -> found.stream().map(WorkflowRun::runId).toList());
    chosen
        .compose(list -> runs.cancelAll(tenant, list))
        .onSuccess(n -> ctx.json(new JsonObject().put("cancelled", n)))
        .onFailure(ctx::fail);
  }
}
