package dev.ferry.workflow;

import dev.ferry.error.ApiException;
import dev.ferry.model.WorkflowRun;
import io.vertx.core.MultiMap;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which runs a log query or a bulk cancel means, from its query parameters: {@code workflowRunId},
 * {@code state}, {@code workflowUrl} (a prefix, or exact with {@code workflowUrlExactMatch=true}),
 * {@code workflowCreatedAt}, {@code fromDate}/{@code toDate} (creation time, Unix ms, inclusive)
 * and {@code label}. A filter Ferry does not keep the data for is a 400, not silently ignored.
 * Pure.
 */
record RunFilter(
    String runId,
    WorkflowRun.State state,
    String url,
    boolean urlExact,
    Long createdAt,
    long from,
    long to,
    String label)
    implements Predicate<WorkflowRun> {

  /** Filters of the SDK that need data Ferry does not keep per run. */
  private static final Set<String> UNSUPPORTED =
      Set.of("callerIp", "flowControlKey", "host", "path", "messageId");

  static RunFilter parse(MultiMap q, boolean urlIsPrefix) {
    for (String name : q.names()) {
      if (UNSUPPORTED.contains(name)) {
        throw ApiException.badRequest(name + ": filtering workflow runs by it is not supported");
      }
    }
    String state = q.get("state");
    WorkflowRun.State parsed = null;
    if (state != null) {
      try {
        parsed = WorkflowRun.State.valueOf(state.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(
            "state: must be one of RUN_STARTED, RUN_SUCCESS, RUN_FAILED, RUN_CANCELED, got \""
                + state
                + "\"");
      }
    }
    String exact = q.get("workflowUrlExactMatch");
    if (exact != null && !exact.equals("true") && !exact.equals("false")) {
      throw ApiException.badRequest("workflowUrlExactMatch: must be true or false");
    }
    Long createdAt = q.get("workflowCreatedAt") == null ? null : millis(q, "workflowCreatedAt", 0);
    return new RunFilter(
        blankToNull(q.get("workflowRunId")),
        parsed,
        blankToNull(q.get("workflowUrl")),
        !urlIsPrefix || "true".equals(exact),
        createdAt,
        millis(q, "fromDate", 0),
        millis(q, "toDate", Long.MAX_VALUE),
        blankToNull(q.get("label")));
  }

  @Override
  public boolean test(WorkflowRun r) {
    if (runId != null && !runId.equals(r.runId())) return false;
    if (state != null && state != r.state()) return false;
    if (url != null && !(urlExact ? r.url().equals(url) : r.url().startsWith(url))) return false;
    if (createdAt != null && createdAt != r.createdAt()) return false;
    if (r.createdAt() < from || r.createdAt() > to) return false;
    return label == null || r.settings().labels().contains(label);
  }

  private static long millis(MultiMap q, String name, long absent) {
    String v = q.get(name);
    if (v == null || v.isBlank()) return absent;
    try {
      long n = Long.parseLong(v.trim());
      if (n < 0) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + ": must be Unix milliseconds, got \"" + v + "\"");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
