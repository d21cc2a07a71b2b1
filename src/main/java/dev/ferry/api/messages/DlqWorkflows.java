package dev.ferry.api.messages;

import dev.ferry.model.DlqEntry;
import dev.ferry.model.FailureCallbackInfo;
import dev.ferry.model.HeaderNames;
import dev.ferry.model.WorkflowRun;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * What the DLQ endpoints need of the workflow support ({@code dev.ferry.workflow.DlqRuns}): the
 * runs of workflow entries (for their fields and filters), and the workflow DLQ actions. Each
 * action answers {@code {"workflowRunId", "workflowCreatedAt"}} of the run it started or acted on.
 */
public interface DlqWorkflows {
  /** The header every message of a workflow run is stored with. */
  String RUN_ID_HEADER = HeaderNames.canonical("Upstash-Workflow-RunId");

  /** The run id of a workflow entry, else null. */
  static String runId(DlqEntry e) {
    List<String> values = e.message().headers().get(RUN_ID_HEADER);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** The settings a resume or restart request overrides (its {@code Upstash-*} headers). */
  record Overrides(Integer retries, dev.ferry.model.FlowControl flowControl) {}

  /** The runs of the workflow entries among {@code entries}, by run id; forgotten runs missing. */
  Future<Map<String, WorkflowRun>> runs(String tenant, List<DlqEntry> entries);

  /** A new run that goes on from the failed step, with the steps before it. */
  Future<JsonObject> resume(String tenant, DlqEntry entry, Overrides overrides);

  /** A new run from the start, with the failed run's initial payload and settings. */
  Future<JsonObject> restart(String tenant, DlqEntry entry, Overrides overrides);

  /** Sends the failed run's failure callback again. */
  Future<JsonObject> retryFailureCallback(String tenant, DlqEntry entry);

  /** How the failure callback of the entry's run went; null when the step had none. */
  static FailureCallbackInfo failureCallback(DlqEntry e, WorkflowRun run) {
    if (e.message().failureCallback() == null) return null;
    if (run == null || run.failureCallback() == null) return FailureCallbackInfo.IN_PROGRESS;
    return run.failureCallback();
  }
}
