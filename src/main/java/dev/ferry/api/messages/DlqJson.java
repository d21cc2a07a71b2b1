package dev.ferry.api.messages;

import dev.ferry.model.CallbackConfig;
import dev.ferry.model.DlqEntry;
import dev.ferry.model.FailureCallbackInfo;
import dev.ferry.model.WorkflowRun;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * DLQ entries as the API shows them ({@link MessageJson#dlq}); an entry of a workflow run also has
 * the fields the workflow SDK's {@code DLQMessage} reads, from the message and its run: {@code
 * workflowRunId}, {@code workflowCreatedAt}, {@code workflowUrl}, {@code failureCallback}, {@code
 * failureCallbackInfo}.
 */
final class DlqJson {
  private final DlqWorkflows workflows;

  DlqJson(DlqWorkflows workflows) {
    this.workflows = workflows;
  }

  Future<JsonArray> entries(String tenant, List<DlqEntry> entries) {
    if (entries.stream().noneMatch(DlqSelection::isWorkflow)) {
      JsonArray out = new JsonArray();
      entries.forEach(e -> out.add(MessageJson.dlq(e)));
      return Future.succeededFuture(out);
    }
    return workflows
        .runs(tenant, entries)
        .map(
            runs -> {
              JsonArray out = new JsonArray();
              for (DlqEntry e : entries) {
                JsonObject json = MessageJson.dlq(e);
                String runId = DlqWorkflows.runId(e);
                if (runId != null) addWorkflowFields(json, e, runId, runs.get(runId));
                out.add(json);
              }
              return out;
            });
  }

  private static void addWorkflowFields(
      JsonObject json, DlqEntry e, String runId, WorkflowRun run) {
    long createdAt = run != null ? run.createdAt() : DlqSelection.createdAt(e);
    json.put("workflowRunId", runId)
        .put("workflowCreatedAt", createdAt)
        .put("workflowUrl", run != null ? run.url() : e.message().url());
    CallbackConfig failure = e.message().failureCallback();
    if (failure != null) json.put("failureCallback", failure.url());
    FailureCallbackInfo info = DlqWorkflows.failureCallback(e, run);
    if (info != null) json.put("failureCallbackInfo", info(info));
  }

  private static JsonObject info(FailureCallbackInfo info) {
    JsonObject json = new JsonObject().put("state", info.state().name());
    if (info.status() > 0) json.put("responseStatus", info.status());
    if (info.body().length > 0) {
      String text = MessageJson.utf8(info.body());
      json.put("responseBody", text != null ? text : MessageJson.base64(info.body()));
    }
    if (!info.headers().isEmpty()) json.put("responseHeaders", MessageJson.headers(info.headers()));
    return json;
  }
}
