package dev.ferry.workflow;

import dev.ferry.api.messages.DlqWorkflows;
import dev.ferry.delivery.callback.CallbackMessages;
import dev.ferry.error.ApiException;
import dev.ferry.ingest.Ids;
import dev.ferry.ingest.Ingest;
import dev.ferry.ingest.PublishCommand;
import dev.ferry.model.DlqEntry;
import dev.ferry.model.FailureCallbackInfo;
import dev.ferry.model.Message;
import dev.ferry.model.WorkflowRun;
import dev.ferry.model.WorkflowSettings;
import dev.ferry.model.WorkflowStep;
import dev.ferry.store.WorkflowRunStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The workflow DLQ's actions on runs (docs/compatibility.md, "Workflow DLQ"). A resume starts a new
 * run with the failed run's steps up to the failed one, whose message is published again for the
 * new run; a restart starts a new run from the failed run's initial payload; both keep the failed
 * run's settings but for the request's retries and flow control. Retrying the failure callback
 * sends it again as it was first sent. Each needs the failed run, which is kept for {@code
 * workflows.retention} after it failed. Thread-safe.
 */
public final class DlqRuns implements DlqWorkflows {
  private final WorkflowRunStore runs;
  private final WorkflowIngest workflowIngest;
  private final Ingest ingest;
  private final WorkflowFailures failures;
  private final CallbackMessages callbacks;
  private final Clock clock;

  DlqRuns(
      WorkflowRunStore runs,
      WorkflowIngest workflowIngest,
      Ingest ingest,
      WorkflowFailures failures,
      CallbackMessages callbacks,
      Clock clock) {
    this.runs = runs;
    this.workflowIngest = workflowIngest;
    this.ingest = ingest;
    this.failures = failures;
    this.callbacks = callbacks;
    this.clock = clock;
  }

  @Override
  public Future<Map<String, WorkflowRun>> runs(String tenant, List<DlqEntry> entries) {
    Set<String> ids = new LinkedHashSet<>();
    for (DlqEntry e : entries) {
      String id = DlqWorkflows.runId(e);
      if (id != null) ids.add(id);
    }
    List<Future<Optional<WorkflowRun>>> finds = new ArrayList<>();
    ids.forEach(id -> finds.add(runs.find(tenant, id)));
    return Future.all(finds)
        .map(
            v -> {
              Map<String, WorkflowRun> found = new HashMap<>();
              finds.forEach(f -> f.result().ifPresent(r -> found.put(r.runId(), r)));
              return found;
            });
  }

  @Override
  public Future<JsonObject> resume(String tenant, DlqEntry entry, Overrides overrides) {
    String failedRunId = DlqWorkflows.runId(entry);
    return withSteps(
        tenant,
        entry,
        (run, steps) -> {
          Message failed = entry.message();
          int at = StepList.indexOf(steps, failed.id());
          if (at < 0) {
            return Future.failedFuture(
                ApiException.badRequest(
                    "workflow dlq message "
                        + entry.dlqId()
                        + ": its message is not a step of run "
                        + failedRunId
                        + ", so the run cannot be resumed from it; restart it"));
          }
          WorkflowStep step = steps.get(at);
          WorkflowRun next = newRun(run, overrides);
          PublishCommand again =
              RunCommands.resumed(
                  failed, step.isStep(), next.runId(), next.createdAt(), next.settings());
          return started(
              next,
              workflowIngest.startRun(
                  next, steps.subList(0, at), again, step.callType(), step.body()));
        });
  }

  @Override
  public Future<JsonObject> restart(String tenant, DlqEntry entry, Overrides overrides) {
    String failedRunId = DlqWorkflows.runId(entry);
    return withSteps(
        tenant,
        entry,
        (run, steps) -> {
          if (steps.isEmpty()) {
            return Future.failedFuture(
                ApiException.badRequest("workflow run " + failedRunId + " has no initial payload"));
          }
          WorkflowRun next = newRun(run, overrides);
          byte[] payload = steps.get(0).body();
          PublishCommand trigger =
              RunCommands.trigger(
                  RunCommands.restart(run, payload, entry.message().callerIp(), next.settings()),
                  next.runId(),
                  next.createdAt());
          return started(
              next, workflowIngest.startRun(next, List.of(), trigger, WorkflowStep.STEP, payload));
        });
  }

  /**
   * Sends the failure callback again, when the last one failed for good; then records it in
   * progress unless its outcome was recorded meanwhile.
   */
  @Override
  public Future<JsonObject> retryFailureCallback(String tenant, DlqEntry entry) {
    String runId = DlqWorkflows.runId(entry);
    if (entry.message().failureCallback() == null) {
      return Future.failedFuture(
          ApiException.badRequest(
              "workflow run " + runId + " has no failure function or failureUrl to retry"));
    }
    return failedRun(tenant, entry)
        .compose(
            run -> {
              FailureCallbackInfo info = DlqWorkflows.failureCallback(entry, run);
              if (info.state() != FailureCallbackInfo.State.CALLBACK_FAIL) {
                return Future.failedFuture(
                    ApiException.badRequest(
                        "the failure function of workflow run "
                            + runId
                            + " is "
                            + info.state()
                            + "; only a failed one (CALLBACK_FAIL) is retried"));
              }
              Message again = callbacks.failure(entry.message(), entry.last(), entry.dlqId());
              return failures
                  .complete(List.of(again))
                  .compose(ingest::publishProduced)
                  .compose(
                      v ->
                          runs.setFailureCallback(
                              tenant,
                              runId,
                              FailureCallbackInfo.State.CALLBACK_FAIL,
                              FailureCallbackInfo.IN_PROGRESS))
                  .map(v -> answer(run));
            });
  }

  /** {@code then} with the entry's failed run and its steps. */
  private Future<JsonObject> withSteps(
      String tenant,
      DlqEntry entry,
      BiFunction<WorkflowRun, List<WorkflowStep>, Future<JsonObject>> then) {
    return failedRun(tenant, entry)
        .compose(
            run ->
                runs.steps(tenant, DlqWorkflows.runId(entry))
                    .compose(steps -> then.apply(run, steps)));
  }

  private Future<WorkflowRun> failedRun(String tenant, DlqEntry entry) {
    String runId = DlqWorkflows.runId(entry);
    return runs.find(tenant, runId)
        .compose(
            found ->
                found.isPresent()
                    ? Future.succeededFuture(found.get())
                    : Future.failedFuture(
                        ApiException.notFound(
                            "workflow run "
                                + runId
                                + " of dlq message "
                                + entry.dlqId()
                                + " is no longer kept (workflows.retention)")));
  }

  private WorkflowRun newRun(WorkflowRun failed, Overrides o) {
    WorkflowSettings settings =
        RunCommands.overridden(failed.settings(), o.retries(), o.flowControl());
    return WorkflowRun.started(
        failed.tenant(), Ids.newWorkflowRunId(), failed.url(), clock.millis(), settings);
  }

  private static Future<JsonObject> started(WorkflowRun run, Future<Optional<String>> stored) {
    return stored.compose(
        id ->
            id.isPresent()
                ? Future.succeededFuture(answer(run))
                : Future.failedFuture(
                    new IllegalStateException("new run id " + run.runId() + " was taken")));
  }

  private static JsonObject answer(WorkflowRun run) {
    return new JsonObject()
        .put("workflowRunId", run.runId())
        .put("workflowCreatedAt", run.createdAt());
  }
}
