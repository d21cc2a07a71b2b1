package dev.ferry.api.messages;

import dev.ferry.api.TokenAuth;
import dev.ferry.api.publish.FlowControlOptions;
import dev.ferry.error.ApiException;
import dev.ferry.model.DlqEntry;
import dev.ferry.store.DlqStore;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * The workflow DLQ ({@code /v2/workflows/dlq}, docs/compatibility.md "Workflow DLQ"): resume a
 * failed run from its failed step, restart it from the beginning, send its failure callback again,
 * delete entries. Resume and restart start a new run each and then remove the entry (started first,
 * removed second: a crash in between leaves the entry, never neither), and answer {@code
 * {"workflowRuns": [{"workflowRunId", "workflowCreatedAt"}], "cursor"}}; a delete answers {@code
 * {"deleted": n, "cursor"}}. They act on workflow entries only, selected by {@code dlqIds}, by
 * filters or by {@code all=true}, at most {@code count} (default 100) per call; the cursor is
 * absent once nothing more may match.
 */
final class WorkflowDlqHandler {
  private static final int MAX_RETRIES = 100;

  private final DlqStore dlq;
  private final DlqSelection selection;
  private final DlqWorkflows workflows;
  private final DlqRemoval removal;

  WorkflowDlqHandler(DlqStore dlq, DlqWorkflows workflows, BiConsumer<String, Long> removed) {
    this.dlq = dlq;
    this.selection = new DlqSelection(dlq, workflows);
    this.workflows = workflows;
    this.removal = new DlqRemoval(dlq, removed);
  }

  void mount(Router router) {
    router.post("/v2/workflows/dlq/resume").handler(ctx -> restartOrResume(ctx, true));
    router.post("/v2/workflows/dlq/restart").handler(ctx -> restartOrResume(ctx, false));
    router.post("/v2/workflows/dlq/callback/:dlqId").handler(this::retryCallback);
    router.delete("/v2/workflows/dlq").handler(this::delete);
  }

  private void restartOrResume(RoutingContext ctx, boolean resume) {
    String tenant = TokenAuth.tenant(ctx);
    DlqSelection.Selection s = parse(ctx);
    DlqWorkflows.Overrides overrides = overrides(ctx.request().headers());
    BiFunction<String, DlqEntry, Future<JsonObject>> action =
        resume
            ? (t, e) -> workflows.resume(t, e, overrides)
            : (t, e) -> workflows.restart(t, e, overrides);
    selected(tenant, s)
        .compose(
            found ->
                each(tenant, found.entries(), action)
                    .compose(
                        runs ->
                            remove(tenant, found.entries())
                                .map(
                                    v -> {
                                      JsonObject body = new JsonObject().put("workflowRuns", runs);
                                      if (found.cursor() != null)
                                        body.put("cursor", found.cursor());
                                      return body;
                                    })))
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  /** One entry after the other, so that a refusal stops the call with the runs before it kept. */
  private static Future<JsonArray> each(
      String tenant, List<DlqEntry> entries, BiFunction<String, DlqEntry, Future<JsonObject>> act) {
    Future<JsonArray> done = Future.succeededFuture(new JsonArray());
    for (DlqEntry e : entries) {
      done = done.compose(runs -> act.apply(tenant, e).map(runs::add));
    }
    return done;
  }

  private void retryCallback(RoutingContext ctx) {
    String tenant = TokenAuth.tenant(ctx);
    String id = ctx.pathParam("dlqId");
    dlq.find(tenant, id)
        .compose(
            e -> {
              if (e.isEmpty() || !DlqSelection.isWorkflow(e.get()))
                return Future.<JsonObject>failedFuture(
                    ApiException.notFound("workflow dlq message " + id + " not found"));
              return workflows.retryFailureCallback(tenant, e.get());
            })
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    String tenant = TokenAuth.tenant(ctx);
    DlqSelection.Selection s = parse(ctx);
    selected(tenant, s)
        .compose(
            found ->
                remove(tenant, found.entries())
                    .map(
                        deleted -> {
                          JsonObject body = new JsonObject().put("deleted", deleted);
                          if (found.cursor() != null) body.put("cursor", found.cursor());
                          return body;
                        }))
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  private static DlqSelection.Selection parse(RoutingContext ctx) {
    return DlqSelection.parse(Params.bulkFields(ctx), LifecycleFields.WORKFLOW_DLQ_BULK, true);
  }

  /** The selection; an id that names no workflow entry is a 404, nothing done. */
  private Future<DlqSelection.Found> selected(String tenant, DlqSelection.Selection s) {
    return selection.selectEvery(tenant, s, "workflow dlq messages");
  }

  private Future<Integer> remove(String tenant, List<DlqEntry> entries) {
    return removal.remove(tenant, entries.stream().map(DlqEntry::dlqId).toList());
  }

  /** {@code Upstash-Retries} and {@code Upstash-Flow-Control-Key}/{@code -Value}, each optional. */
  static DlqWorkflows.Overrides overrides(MultiMap headers) {
    Integer retries = null;
    String given = headers.get("Upstash-Retries");
    if (given != null) {
      try {
        retries = Integer.parseInt(given.trim());
      } catch (NumberFormatException e) {
        retries = -1;
      }
      if (retries < 0 || retries > MAX_RETRIES)
        throw ApiException.badRequest(
            "Upstash-Retries: must be a whole number from 0 to "
                + MAX_RETRIES
                + ", got \""
                + given
                + "\"");
    }
    String key = headers.get(FlowControlOptions.KEY);
    String value = headers.get(FlowControlOptions.VALUE);
    return new DlqWorkflows.Overrides(
        retries,
        key == null && value == null
            ? null
            : FlowControlOptions.parse(
                Map.of(
                    FlowControlOptions.KEY,
                    key == null ? List.of() : List.of(key),
                    FlowControlOptions.VALUE,
                    value == null ? List.of() : List.of(value))));
  }
}
