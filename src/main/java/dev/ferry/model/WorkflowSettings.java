package dev.ferry.model;

import java.util.List;
import java.util.Map;

/**
 * What a workflow trigger configured for the whole run. The SDK sends these headers only on the
 * trigger, so the gateway applies them to every later step of the run.
 *
 * @param maxRetries retries of each step delivery
 * @param retryDelayExpression {@code Upstash-Retry-Delay} of the trigger, or null
 * @param flowControl the trigger's flow-control key and limits, or null
 * @param failureCallback the failure function's (or {@code failureUrl}'s) callback, or null
 * @param labels the trigger's labels
 * @param headers the trigger's forwarded headers (Content-Type excluded), sent with every step
 */
public record WorkflowSettings(
    int maxRetries,
    String retryDelayExpression,
    FlowControl flowControl,
    CallbackConfig failureCallback,
    List<String> labels,
    Map<String, List<String>> headers) {
  public WorkflowSettings {
    labels = labels == null ? List.of() : List.copyOf(labels);
    headers = headers == null ? Map.of() : headers;
  }
}
