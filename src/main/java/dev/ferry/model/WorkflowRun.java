package dev.ferry.model;

import java.util.Objects;

/**
 * One run of an Upstash Workflow endpoint: created by its trigger, advanced by the steps the
 * endpoint publishes back, ended by the endpoint ({@code DELETE /v2/workflows/runs/{id}}) or by a
 * step that failed for good. Immutable; the store keeps it and the run's {@link WorkflowStep}s.
 *
 * @param tenant owning tenant
 * @param runId {@code wfr_...}, chosen by the SDK; unique per tenant for as long as the run is kept
 * @param url the workflow endpoint the trigger was sent to
 * @param createdAt Unix ms when the trigger was accepted (sent as {@code
 *     Upstash-Workflow-CreatedAt})
 * @param state where the run is
 * @param settings what the trigger configured, applied to every later step
 * @param stepCount how many steps the run has, the trigger included
 * @param response the body the endpoint ended the run with (its return value as JSON), else empty
 * @param endedAt Unix ms when the run ended, 0 while it runs
 * @param dlqId the DLQ entry of the step that failed the run, else null
 * @param invoker the run that started this one with {@code context.invoke}, else null
 * @param failureCallback how the failure callback of a failed run went, once it has ended or was
 *     sent again; null before (in progress, when the failed step had one)
 */
public record WorkflowRun(
    String tenant,
    String runId,
    String url,
    long createdAt,
    State state,
    WorkflowSettings settings,
    int stepCount,
    byte[] response,
    long endedAt,
    String dlqId,
    WorkflowInvoker invoker,
    FailureCallbackInfo failureCallback) {

  /** The states of a run, spelt as the workflow logs spell them. */
  public enum State {
    /** Created by its trigger; steps may be appended. */
    RUN_STARTED,
    /** The endpoint returned: {@code DELETE …?cancel=false}. */
    RUN_SUCCESS,
    /** A step failed for good: it is in the DLQ, and the failure callback, if any, fired. */
    RUN_FAILED,
    /** Cancelled by the API or by the route's {@code context.cancel()}. */
    RUN_CANCELED
  }

  public WorkflowRun {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(settings, "settings");
    response = response == null ? new byte[0] : response;
  }

  /** A new run in {@link State#RUN_STARTED} with no step yet. */
  public static WorkflowRun started(
      String tenant, String runId, String url, long createdAt, WorkflowSettings settings) {
    return new WorkflowRun(
        tenant, runId, url, createdAt, State.RUN_STARTED, settings, 0, null, 0, null, null, null);
  }

  /** The same run, started by {@code invoker}. */
  public WorkflowRun invokedBy(WorkflowInvoker by) {
    return new WorkflowRun(
        tenant,
        runId,
        url,
        createdAt,
        state,
        settings,
        stepCount,
        response,
        endedAt,
        dlqId,
        by,
        failureCallback);
  }

  public boolean active() {
    return state == State.RUN_STARTED;
  }

  /** The same run with one more step. */
  public WorkflowRun withStepAdded() {
    return new WorkflowRun(
        tenant,
        runId,
        url,
        createdAt,
        state,
        settings,
        stepCount + 1,
        response,
        endedAt,
        dlqId,
        invoker,
        failureCallback);
  }

  /** The same run, ended. */
  public WorkflowRun ended(State to, byte[] body, long at) {
    return new WorkflowRun(
        tenant,
        runId,
        url,
        createdAt,
        to,
        settings,
        stepCount,
        body,
        at,
        dlqId,
        invoker,
        failureCallback);
  }

  /** The same run, failed for good by the step that is DLQ entry {@code entry}. */
  public WorkflowRun failed(String entry, long at) {
    return new WorkflowRun(
        tenant,
        runId,
        url,
        createdAt,
        State.RUN_FAILED,
        settings,
        stepCount,
        response,
        at,
        entry,
        invoker,
        failureCallback);
  }

  /** The same run with its failure callback's record replaced. */
  public WorkflowRun withFailureCallback(FailureCallbackInfo info) {
    return new WorkflowRun(
        tenant, runId, url, createdAt, state, settings, stepCount, response, endedAt, dlqId,
        invoker, info);
  }
}
