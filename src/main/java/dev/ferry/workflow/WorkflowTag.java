package dev.ferry.workflow;

/**
 * What the workflow headers of one publish or batch entry say.
 *
 * @param runId {@code Upstash-Workflow-RunId}
 * @param init {@code Upstash-Workflow-Init: true}: the message starts the run
 * @param callType {@code Upstash-Workflow-CallType}, {@code step} when absent; {@code toCallback}
 *     for a {@code context.call} request to a third party
 * @param invoke {@code Upstash-Workflow-Invoke: true}: a trigger sent by another run's {@code
 *     context.invoke}, whose body describes the invoking run
 */
public record WorkflowTag(String runId, boolean init, String callType, boolean invoke) {
  public WorkflowTag(String runId, boolean init, String callType) {
    this(runId, init, callType, false);
  }

  public boolean isStep() {
    return "step".equals(callType);
  }
}
