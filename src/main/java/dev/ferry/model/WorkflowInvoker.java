package dev.ferry.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The run that started another with {@code context.invoke}: the child's end is reported back to it
 * as the result of its waiting {@code Invoke} step.
 *
 * @param runId the invoking (parent) run
 * @param url the parent's workflow URL
 * @param createdAt the parent's creation time, Unix ms, as the SDK sent it
 * @param headers publish headers (lower-case names) of the message carrying the result back
 * @param step the parent's {@code Invoke} step as the SDK described it (a JSON object's text)
 */
public record WorkflowInvoker(
    String runId, String url, long createdAt, Map<String, List<String>> headers, String step) {
  public WorkflowInvoker {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(url, "url");
    headers = Map.copyOf(headers);
    Objects.requireNonNull(step, "step");
  }
}
