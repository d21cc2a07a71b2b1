package dev.ferry.workflow;

import dev.ferry.api.publish.UpstashHeaders;
import dev.ferry.model.HeaderNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Upstash Workflow headers: the ones a publish or batch entry carries (names lower-case, as the
 * API hands them over) and the ones Ferry puts on the deliveries of a run (Go-canonical names, as
 * in a stored message). Pure; any thread.
 */
public final class WorkflowHeaders {
  static final String RUN_ID = "upstash-workflow-runid";
  static final String INIT = "upstash-workflow-init";
  static final String CALL_TYPE = "upstash-workflow-calltype";
  static final String INVOKE = "upstash-workflow-invoke";
  static final String CALLBACK_RUN_ID = "upstash-callback-workflow-runid";
  static final String FAILURE_CALLBACK_RUN_ID = "upstash-failure-callback-workflow-runid";

  /** On every delivery of a run: the endpoint refuses a delivery without it. */
  static final String DELIVERED_RUN_ID = HeaderNames.canonical("Upstash-Workflow-RunId");

  /** On every delivery of a run: the run's creation time, Unix ms. */
  static final String DELIVERED_CREATED_AT = HeaderNames.canonical("Upstash-Workflow-CreatedAt");

  /** Forwarded by the SDK onto failure callbacks, and only onto them. */
  static final String DELIVERED_IS_FAILURE = HeaderNames.canonical("Upstash-Workflow-Is-Failure");

  static final String CONTENT_TYPE = "Content-Type";

  private static final List<String> FORWARD_PREFIXES =
      List.of(
          UpstashHeaders.FORWARD_PREFIX,
          "upstash-callback-forward-",
          "upstash-failure-callback-forward-");

  private WorkflowHeaders() {}

  /** What a publish's workflow headers say about it, or null when it is no workflow message. */
  public static WorkflowTag read(Map<String, List<String>> headers) {
    String runId = single(headers, RUN_ID);
    if (runId == null || runId.isBlank()) return null;
    String callType = single(headers, CALL_TYPE);
    return new WorkflowTag(
        runId.trim(),
        "true".equalsIgnoreCase(trimmed(single(headers, INIT))),
        callType == null ? "step" : callType.trim(),
        "true".equalsIgnoreCase(trimmed(single(headers, INVOKE))));
  }

  /**
   * The headers without the forwarded ones that cannot be forwarded ({@code Host}, {@code
   * Content-Length}, {@code Upstash-Message-Id}…). A plain request that starts a run makes the
   * endpoint re-send every header it received as {@code Upstash-Forward-*}; refusing the trigger
   * for them would lose the run, since the SDK does not look at the answer's errors. Only for
   * workflow messages: an ordinary publish still gets its 400.
   */
  public static Map<String, List<String>> withoutUnforwardable(Map<String, List<String>> headers) {
    Map<String, List<String>> kept = new LinkedHashMap<>(headers);
    kept.keySet().removeIf(WorkflowHeaders::unforwardable);
    return kept;
  }

  private static boolean unforwardable(String name) {
    for (String prefix : FORWARD_PREFIXES) {
      if (name.startsWith(prefix)) {
        String target = name.substring(prefix.length()).toLowerCase(Locale.ROOT);
        return !target.isEmpty() && !UpstashHeaders.isForwardable(target);
      }
    }
    return false;
  }

  /** HTTP headers as a map with lower-case names, values in arrival order. */
  static Map<String, List<String>> lowerCase(io.vertx.core.MultiMap headers) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : headers) {
      out.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new java.util.ArrayList<>())
          .add(h.getValue());
    }
    return out;
  }

  static String single(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static String trimmed(String s) {
    return s == null ? null : s.trim();
  }
}
