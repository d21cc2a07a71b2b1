package dev.ferry.workflow;

import dev.ferry.ingest.PublishCommand;
import dev.ferry.model.CallbackConfig;
import dev.ferry.model.FlowControl;
import dev.ferry.model.Message;
import dev.ferry.model.WorkflowRun;
import dev.ferry.model.WorkflowSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the publish of a workflow message into what Ferry stores: the run's id and creation time on
 * the message and on its callbacks (the endpoint refuses a delivery without them), and for steps
 * the trigger's settings, which the SDK sends only once. Pure.
 */
final class RunCommands {
  private RunCommands() {}

  /**
   * The run's settings, as its trigger configured them; the headers keep the trigger's {@code
   * Content-Type}, which a restart sends again with the initial payload, and which steps do not
   * take.
   */
  static WorkflowSettings settings(PublishCommand trigger) {
    Map<String, List<String>> headers = new LinkedHashMap<>(trigger.headers());
    return new WorkflowSettings(
        trigger.maxRetries(),
        trigger.retryDelayExpression(),
        trigger.flowControl(),
        trigger.failureCallback(),
        trigger.labels(),
        headers);
  }

  /** The trigger as stored: its own configuration, plus the run's headers. */
  static PublishCommand trigger(PublishCommand c, String runId, long createdAt) {
    return with(
        c,
        runHeaders(c.headers(), runId, createdAt),
        c.maxRetries(),
        c.retryDelayExpression(),
        c.labels(),
        c.flowControl(),
        tagged(c.callback(), runId, createdAt),
        tagged(c.failureCallback(), runId, createdAt));
  }

  /**
   * A message the endpoint published for {@code run}. A step gets the run's retries and retry delay
   * always (the SDK never sends its own on a step), and the run's flow control, failure callback,
   * labels and forwarded headers where it has none of its own. A {@code context.call} request goes
   * to a third party and keeps its own settings; only its callback, which comes back to the
   * endpoint, carries the run.
   */
  static PublishCommand step(PublishCommand c, WorkflowTag tag, WorkflowRun run) {
    String id = run.runId();
    long createdAt = run.createdAt();
    if (!tag.isStep()) {
      return with(
          c,
          c.headers(),
          c.maxRetries(),
          c.retryDelayExpression(),
          c.labels(),
          c.flowControl(),
          tagged(c.callback(), id, createdAt),
          tagged(c.failureCallback(), id, createdAt));
    }
    WorkflowSettings s = run.settings();
    Map<String, List<String>> headers = new LinkedHashMap<>(s.headers());
    headers.remove(WorkflowHeaders.CONTENT_TYPE);
    headers.putAll(c.headers());
    return with(
        c,
        runHeaders(headers, id, createdAt),
        s.maxRetries(),
        s.retryDelayExpression(),
        c.labels().isEmpty() ? s.labels() : c.labels(),
        c.flowControl() != null ? c.flowControl() : s.flowControl(),
        tagged(c.callback(), id, createdAt),
        tagged(
            c.failureCallback() != null ? c.failureCallback() : s.failureCallback(),
            id,
            createdAt));
  }

  /** {@code s} with a DLQ resume's or restart's overrides (null: kept). */
  static WorkflowSettings overridden(WorkflowSettings s, Integer retries, FlowControl flowControl) {
    return new WorkflowSettings(
        retries != null ? retries : s.maxRetries(),
        s.retryDelayExpression(),
        flowControl != null ? flowControl : s.flowControl(),
        s.failureCallback(),
        s.labels(),
        s.headers());
  }

  /**
   * The trigger of a run restarted from the DLQ: the failed run's URL and initial payload with
   * {@code s}, as the SDK's trigger would have published them.
   */
  static PublishCommand restart(
      WorkflowRun failed, byte[] payload, String callerIp, WorkflowSettings s) {
    return new PublishCommand(
        failed.tenant(),
        failed.url(),
        null,
        null,
        "POST",
        s.headers(),
        payload,
        s.maxRetries(),
        s.retryDelayExpression(),
        0,
        0,
        s.labels(),
        callerIp,
        null,
        null,
        null,
        s.failureCallback(),
        s.flowControl(),
        null);
  }

  /**
   * The failed message of a run resumed from the DLQ, published again for the new run {@code
   * runId}: the run's headers on it and on its callbacks, and for a step the new run's retries and
   * flow control; a {@code context.call} request keeps its own.
   */
  static PublishCommand resumed(
      Message failed, boolean step, String runId, long createdAt, WorkflowSettings s) {
    Map<String, List<String>> headers =
        failed.headers().containsKey(WorkflowHeaders.DELIVERED_RUN_ID)
            ? runHeaders(failed.headers(), runId, createdAt)
            : failed.headers();
    return new PublishCommand(
        failed.tenant(),
        failed.url(),
        null,
        failed.queueName(),
        failed.method(),
        headers,
        failed.body(),
        step ? s.maxRetries() : failed.maxRetries(),
        failed.retryDelayExpression(),
        failed.timeoutMillis(),
        0,
        failed.labels(),
        failed.callerIp(),
        null,
        null,
        tagged(failed.callback(), runId, createdAt),
        tagged(failed.failureCallback(), runId, createdAt),
        step ? s.flowControl() : failed.flowControl(),
        failed.redactFields());
  }

  /** The same command with another body. */
  static PublishCommand withBody(PublishCommand c, byte[] body) {
    return new PublishCommand(
        c.tenant(),
        c.url(),
        c.urlGroup(),
        c.queueName(),
        c.method(),
        c.headers(),
        body,
        c.maxRetries(),
        c.retryDelayExpression(),
        c.timeoutMillis(),
        c.notBefore(),
        c.labels(),
        c.callerIp(),
        c.deduplicationId(),
        c.scheduleId(),
        c.callback(),
        c.failureCallback(),
        c.flowControl(),
        c.redactFields());
  }

  private static Map<String, List<String>> runHeaders(
      Map<String, List<String>> headers, String runId, long createdAt) {
    Map<String, List<String>> out = new LinkedHashMap<>(headers);
    out.put(WorkflowHeaders.DELIVERED_RUN_ID, List.of(runId));
    out.put(WorkflowHeaders.DELIVERED_CREATED_AT, List.of(Long.toString(createdAt)));
    return out;
  }

  private static CallbackConfig tagged(CallbackConfig c, String runId, long createdAt) {
    if (c == null) return null;
    return new CallbackConfig(
        c.url(),
        c.method(),
        runHeaders(c.headers(), runId, createdAt),
        c.maxRetries(),
        c.retryDelayExpression(),
        c.timeoutMillis(),
        c.delayMillis(),
        c.flowControl());
  }

  private static PublishCommand with(
      PublishCommand c,
      Map<String, List<String>> headers,
      int maxRetries,
      String retryDelayExpression,
      List<String> labels,
      dev.ferry.model.FlowControl flowControl,
      CallbackConfig callback,
      CallbackConfig failureCallback) {
    return new PublishCommand(
        c.tenant(),
        c.url(),
        c.urlGroup(),
        c.queueName(),
        c.method(),
        headers,
        c.body(),
        maxRetries,
        retryDelayExpression,
        c.timeoutMillis(),
        c.notBefore(),
        labels,
        c.callerIp(),
        c.deduplicationId(),
        c.scheduleId(),
        callback,
        failureCallback,
        flowControl,
        c.redactFields());
  }
}
