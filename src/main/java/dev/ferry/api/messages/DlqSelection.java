package dev.ferry.api.messages;

import dev.ferry.error.ApiException;
import dev.ferry.lifecycle.MessageFilter;
import dev.ferry.model.DlqEntry;
import dev.ferry.model.FailureCallbackInfo;
import dev.ferry.model.HeaderNames;
import dev.ferry.model.WorkflowRun;
import dev.ferry.store.DlqStore;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which DLQ entries a list or bulk call works on: explicit ids, or the entries after a cursor that
 * the filters select, at most {@code count}, with the cursor of the next page while more may
 * remain. Filters by a workflow run's own fields ({@code workflowUrl}, {@code
 * failureFunctionState}) read the runs a page names, once per page. Pure apart from the reads.
 */
final class DlqSelection {
  static final int MAX_COUNT = 100;

  /**
   * Entries examined per request at most when filtering; the page then ends early with a cursor.
   */
  static final int SCAN_LIMIT = 10_000;

  /** The filters of workflow entries; each empty list selects everything. */
  record WorkflowFilter(
      boolean workflowOnly,
      List<String> runIds,
      List<Long> createdAts,
      List<String> urls,
      List<String> callbackStates) {
    boolean readsRuns() {
      return !urls.isEmpty() || !callbackStates.isEmpty();
    }

    boolean any() {
      return workflowOnly || !runIds.isEmpty() || !createdAts.isEmpty() || readsRuns();
    }
  }

  /** What a call works on. */
  record Selection(
      List<String> dlqIds,
      MessageFilter filter,
      WorkflowFilter workflow,
      boolean latestFirst,
      String cursor,
      int count) {}

  record Found(List<DlqEntry> entries, String cursor) {}

  private static final String CREATED_AT_HEADER =
      HeaderNames.canonical("Upstash-Workflow-CreatedAt");

  private final DlqStore dlq;
  private final DlqWorkflows workflows;

  DlqSelection(DlqStore dlq, DlqWorkflows workflows) {
    this.dlq = dlq;
    this.workflows = workflows;
  }

  /**
   * Checks every field first (400, nothing done, on an unknown or empty one), then reads the
   * selection; {@code workflowOnly} when the endpoint acts on workflow entries alone.
   */
  static Selection parse(RequestFields fields, LifecycleFields endpoint, boolean workflowOnly) {
    endpoint.check(fields);
    List<String> ids = new ArrayList<>();
    for (String value : Params.values(fields, "dlqIds")) {
      for (String part : value.split(",")) {
        if (!part.isBlank() && !ids.contains(part.trim())) ids.add(part.trim());
      }
    }
    return new Selection(
        ids,
        Params.filter(fields),
        new WorkflowFilter(
            workflowOnly || source(Params.values(fields, "source")),
            split(Params.values(fields, "workflowRunId")),
            createdAts(split(Params.values(fields, "workflowCreatedAt"))),
            split(Params.values(fields, "workflowUrl")),
            callbackStates(split(Params.values(fields, "failureFunctionState")))),
        Params.latestFirst(fields, false),
        Params.cursor(fields),
        Params.count(fields, MAX_COUNT, MAX_COUNT));
  }

  /**
   * {@code source=workflow}, which the workflow SDK's {@code dlq.list} always sends: only the
   * entries of workflow runs (messages that carried a run id).
   */
  private static boolean source(List<String> source) {
    for (String value : source) {
      if (!value.equals("workflow")) {
        throw ApiException.badRequest(
            "source: only \"workflow\" is supported, got \"" + value + "\"");
      }
    }
    return !source.isEmpty();
  }

  private static List<String> split(List<String> values) {
    List<String> out = new ArrayList<>();
    for (String v : values) {
      for (String part : v.split(",")) if (!part.isBlank()) out.add(part.trim());
    }
    return out;
  }

  private static List<Long> createdAts(List<String> values) {
    List<Long> out = new ArrayList<>();
    for (String v : values) {
      try {
        out.add(Long.parseLong(v));
      } catch (NumberFormatException e) {
        throw ApiException.badRequest(
            "workflowCreatedAt: must be a Unix time in milliseconds, got \"" + v + "\"");
      }
    }
    return out;
  }

  private static List<String> callbackStates(List<String> values) {
    for (String v : values) {
      try {
        FailureCallbackInfo.State.valueOf(v);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(
            "failureFunctionState: must be CALLBACK_INPROGRESS, CALLBACK_SUCCESS, CALLBACK_FAIL"
                + " or CALLBACK_CANCELED, got \""
                + v
                + "\"");
      }
    }
    return values;
  }

  /** The selected entries: the ids given (unknown ones left out), or a page of matches. */
  Future<Found> select(String tenant, Selection s) {
    if (!s.dlqIds().isEmpty()) {
      List<Future<Optional<DlqEntry>>> finds = new ArrayList<>();
      s.dlqIds().forEach(id -> finds.add(dlq.find(tenant, id)));
      return Future.all(finds)
          .map(
              all -> {
                List<DlqEntry> found = new ArrayList<>();
                finds.forEach(
                    f ->
                        f.result()
                            .filter(e -> !s.workflow().workflowOnly() || isWorkflow(e))
                            .ifPresent(found::add));
                return new Found(found, null);
              });
    }
    return scan(tenant, s, s.cursor(), new ArrayList<>(), 0);
  }

  /**
   * {@link #select}, refusing with a 404 (nothing done) when an id among {@code dlqIds} names no
   * entry it selects; {@code what} names the entries in the error ("dlq messages").
   */
  Future<Found> selectEvery(String tenant, Selection s, String what) {
    return select(tenant, s)
        .compose(
            found -> {
              if (found.entries().size() >= s.dlqIds().size()) return Future.succeededFuture(found);
              List<String> missing = new ArrayList<>(s.dlqIds());
              found.entries().forEach(e -> missing.remove(e.dlqId()));
              return Future.failedFuture(
                  ApiException.notFound(what + " not found: " + String.join(", ", missing)));
            });
  }

  private Future<Found> scan(
      String tenant, Selection s, String after, List<DlqEntry> found, int scanned) {
    int page = Math.min(MAX_COUNT, SCAN_LIMIT - scanned);
    Future<List<DlqEntry>> read =
        s.latestFirst() ? dlq.listNewestFirst(tenant, after, page) : dlq.list(tenant, after, page);
    return read.compose(
        entries ->
            matching(tenant, s, entries)
                .compose(
                    kept -> {
                      String last = after;
                      for (DlqEntry e : entries) {
                        if (found.size() == s.count())
                          return Future.succeededFuture(new Found(found, last));
                        last = e.dlqId();
                        if (kept.contains(e.dlqId())) found.add(e);
                      }
                      if (entries.size() < page)
                        return Future.succeededFuture(new Found(found, null));
                      if (scanned + entries.size() >= SCAN_LIMIT)
                        return Future.succeededFuture(new Found(found, last));
                      if (found.size() == s.count()) {
                        // full: is there anything after the last entry? Only then is there a next
                        // page.
                        String at = last;
                        return (s.latestFirst()
                                ? dlq.listNewestFirst(tenant, at, 1)
                                : dlq.list(tenant, at, 1))
                            .map(more -> new Found(found, more.isEmpty() ? null : at));
                      }
                      return scan(tenant, s, last, found, scanned + entries.size());
                    }));
  }

  /** The ids of the page's entries that the selection's filters select. */
  private Future<Set<String>> matching(String tenant, Selection s, List<DlqEntry> page) {
    Set<String> kept = new HashSet<>();
    List<DlqEntry> candidates = new ArrayList<>();
    for (DlqEntry e : page) {
      if (matches(s.filter(), e) && matchesHeaders(s.workflow(), e)) candidates.add(e);
    }
    if (!s.workflow().readsRuns()) {
      candidates.forEach(e -> kept.add(e.dlqId()));
      return Future.succeededFuture(kept);
    }
    return workflows
        .runs(tenant, candidates)
        .map(
            runs -> {
              for (DlqEntry e : candidates) {
                if (matchesRun(s.workflow(), e, runs.get(DlqWorkflows.runId(e))))
                  kept.add(e.dlqId());
              }
              return kept;
            });
  }

  static boolean isWorkflow(DlqEntry e) {
    return DlqWorkflows.runId(e) != null;
  }

  private static boolean matches(MessageFilter f, DlqEntry e) {
    if (!f.messageIds().isEmpty() && !f.messageIds().contains(e.message().id())) return false;
    if (!f.responseStatuses().isEmpty() && !f.responseStatuses().contains(e.last().status()))
      return false;
    return f.inTime(e.last().time()) && f.matches(e.message());
  }

  private static boolean matchesHeaders(WorkflowFilter w, DlqEntry e) {
    if (!w.any()) return true;
    String runId = DlqWorkflows.runId(e);
    if (runId == null) return false;
    if (!w.runIds().isEmpty() && !w.runIds().contains(runId)) return false;
    return w.createdAts().isEmpty() || w.createdAts().contains(createdAt(e));
  }

  private static boolean matchesRun(WorkflowFilter w, DlqEntry e, WorkflowRun run) {
    String url = run != null ? run.url() : e.message().url();
    if (!w.urls().isEmpty() && !w.urls().contains(url)) return false;
    if (w.callbackStates().isEmpty()) return true;
    FailureCallbackInfo info = DlqWorkflows.failureCallback(e, run);
    return info != null && w.callbackStates().contains(info.state().name());
  }

  /** The run's creation time as its messages carry it, 0 when absent. */
  static long createdAt(DlqEntry e) {
    List<String> values = e.message().headers().get(CREATED_AT_HEADER);
    if (values == null || values.isEmpty()) return 0;
    try {
      return Long.parseLong(values.get(0));
    } catch (NumberFormatException bad) {
      return 0;
    }
  }
}
