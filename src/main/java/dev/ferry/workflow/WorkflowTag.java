package dev.ferry.workflow;

/**
 * What the workflow headers of one publish or batch entry say.
 *
 * @param runId {@code Upstash-Workflow-RunId}
 * @param init {@code Upstash-Workflow-Init: true}: the message starts the run
 * @param callType {@code Upstash-Workflow-CallType}, {@code step} when absent; {@code toCallback}
 *     for a {@code context.call} request to a third party
 */
public record WorkflowTag(String runId, boolean init, String callType) {
  public boolean isStep() {
    return "step".equals(callType);
  }
}
