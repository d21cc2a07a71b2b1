package dev.ferry.workflow;

import dev.ferry.api.TokenAuth;
import dev.ferry.error.ApiException;
import dev.ferry.model.WorkflowRun;
import dev.ferry.model.WorkflowStep;
import dev.ferry.store.WorkflowRunStore;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /v2/workflows/events?groupBy=workflowRunId}: the tenant's runs with their steps, as
 * {@code Client.logs} reads them, in run-id order; {@code cursor} is the last run id of the page,
 * {@code ""} on the last page.
 */
public final class WorkflowLogsHandler {
  static final int DEFAULT_COUNT = 100;
  static final int MAX_COUNT = 1000;

  private final WorkflowRunStore runs;

  public WorkflowLogsHandler(WorkflowRunStore runs) {
    this.runs = runs;
  }

  public void mount(Router router) {
    router.get("/v2/workflows/events").handler(this::list);
  }

  private void list(RoutingContext ctx) {
    MultiMap q = ctx.queryParams();
    String groupBy = q.get("groupBy");
    if (groupBy != null && !groupBy.equals("workflowRunId")) {
      throw ApiException.badRequest("groupBy: only workflowRunId is supported");
    }
    RunFilter filter = RunFilter.parse(q, false);
    int count = count(q.get("count"), DEFAULT_COUNT);
    String cursor = q.get("cursor");
    String tenant = TokenAuth.tenant(ctx);
    Future<List<WorkflowRun>> page =
        filter.runId() != null
            ? runs.find(tenant, filter.runId())
                .map(r -> r.filter(filter).map(List::of).orElse(List.of()))
            : runs.list(tenant, cursor == null || cursor.isBlank() ? null : cursor, count, filter);
    page.compose(
            found -> {
              List<Future<List<WorkflowStep>>> steps = new ArrayList<>();
              for (WorkflowRun r : found) steps.add(runs.steps(tenant, r.runId()));
              return Future.all(steps)
                  .map(
                      v -> {
                        JsonArray out = new JsonArray();
                        for (int i = 0; i < found.size(); i++) {
                          out.add(RunLogs.run(found.get(i), steps.get(i).result()));
                        }
                        String next =
                            found.size() == count && filter.runId() == null
                                ? found.get(found.size() - 1).runId()
                                : "";
                        return new JsonObject().put("cursor", next).put("runs", out);
                      });
            })
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  /** {@code count}: 1 to {@link #MAX_COUNT}. */
  static int count(String value, int absent) {
    if (value == null || value.isBlank()) return absent;
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 1 && n <= MAX_COUNT) return n;
    } catch (NumberFormatException e) {
      // named below
    }
    throw ApiException.badRequest(
        "count: must be a number from 1 to " + MAX_COUNT + ", got \"" + value + "\"");
  }
}
