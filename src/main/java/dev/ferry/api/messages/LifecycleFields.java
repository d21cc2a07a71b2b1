package dev.ferry.api.messages;

import dev.ferry.error.ApiException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one list of the fields each lifecycle endpoint takes (query parameters, and JSON body keys
 * for the bulk calls), shared by the listing and the bulk handlers. A name the endpoint does not
 * know is a 400 naming it: a typo such as {@code labeel=x} must never be read as "no filter", which
 * for a bulk call means every entry. Pure; any thread.
 */
enum LifecycleFields {
  /**
   * {@code GET /v2/events} and {@code GET /v2/logs}. {@code api} is accepted and ignored: older
   * SDKs send it.
   */
  LOGS(false, join(Names.PAGING, Names.COMMON, Set.of("host", "path", "state", "api")), Map.of()),

  /** {@code GET /v2/dlq}; {@code source=workflow} lists the entries of workflow runs only. */
  DLQ_LIST(
      false,
      join(
          Names.PAGING,
          Names.COMMON,
          Names.WORKFLOW,
          Set.of("dlqIds", "responseStatus", "api", "source")),
      Names.DLQ_REFUSED),

  /** {@code DELETE /v2/dlq} and {@code POST /v2/dlq/retry}. */
  DLQ_BULK(
      true,
      join(Names.PAGING, Names.COMMON, Names.WORKFLOW, Set.of("dlqIds", "responseStatus", "all")),
      join(Names.DLQ_REFUSED, Names.API_REFUSED)),

  /**
   * {@code DELETE /v2/workflows/dlq} and {@code POST /v2/workflows/dlq/resume|restart}: workflow
   * entries only.
   */
  WORKFLOW_DLQ_BULK(
      true,
      join(Names.PAGING, Names.COMMON, Names.WORKFLOW, Set.of("dlqIds", "responseStatus", "all")),
      join(Names.DLQ_REFUSED, Names.API_REFUSED)),

  /**
   * {@code DELETE /v2/messages}: no cursor and no order, as every match is cancelled in one call.
   */
  MESSAGES_CANCEL(
      true,
      join(Set.of("count"), Names.COMMON, Set.of("host", "path", "all")),
      join(
          Names.API_REFUSED,
          Map.of(
              "state", "not a filter of pending messages",
              "responseStatus", "not a filter of pending messages")));

  /** Fields that select nothing themselves: paging, and the explicit {@code all}. */
  private static final Set<String> NOT_FILTERS = join(Names.PAGING, Set.of("all"));

  private final boolean bulk;
  private final Set<String> known;
  private final Map<String, String> refused;

  LifecycleFields(boolean bulk, Set<String> known, Map<String, String> refused) {
    this.bulk = bulk;
    this.known = known;
    this.refused = refused;
  }

  /**
   * Refuses (400, nothing done) a field the endpoint does not take, naming it; on a bulk call also
   * a filter given without a value ({@code label=}, {@code "messageIds": []}), which would
   * otherwise widen the call to every entry, and {@code all} that is not {@code true} or comes with
   * filters (which of the two was meant is unclear).
   */
  void check(RequestFields fields) {
    for (String name : fields.names()) {
      String reason = refused.get(name);
      if (reason != null) throw ApiException.badRequest(name + ": " + reason);
      if (!known.contains(name)) {
        String where = fields.queryValues(name).isEmpty() ? "JSON body field" : "parameter";
        throw ApiException.badRequest(
            name
                + ": unknown "
                + where
                + "; this endpoint takes "
                + String.join(", ", new TreeSet<>(known)));
      }
      boolean filter = !NOT_FILTERS.contains(name);
      if (bulk && filter && Params.values(fields, name).stream().allMatch(LifecycleFields::empty)) {
        throw ApiException.badRequest(
            name
                + ": given without a value; leave it out, or pass all=true to act on "
                + "every entry");
      }
    }
    if (bulk && Params.all(fields)) {
      Set<String> filters = new LinkedHashSet<>(fields.names());
      filters.removeAll(NOT_FILTERS);
      if (!filters.isEmpty()) {
        throw ApiException.badRequest(
            filters.iterator().next()
                + ": a filter cannot be combined with all=true, "
                + "which acts on every entry; leave out one or the other");
      }
    }
  }

  /**
   * A value with nothing in it once split at commas, as every filter is: {@code ""}, {@code " "},
   * {@code ","}.
   */
  private static boolean empty(String value) {
    return value.replace(",", "").isBlank();
  }

  @SafeVarargs
  private static <T> Set<T> join(Set<T>... sets) {
    Set<T> out = new LinkedHashSet<>();
    for (Set<T> s : sets) out.addAll(s);
    return Set.copyOf(out);
  }

  @SafeVarargs
  private static Map<String, String> join(Map<String, String>... maps) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map<String, String> m : maps) out.putAll(m);
    return Map.copyOf(out);
  }

  /**
   * The shared name lists; a nested holder because an enum's constants are built before its own
   * static fields.
   */
  private static final class Names {
    static final Set<String> PAGING = Set.of("count", "cursor", "order");

    /**
     * What {@link dev.ferry.lifecycle.MessageFilter} reads for every endpoint, aliases included.
     */
    static final Set<String> COMMON =
        Set.of(
            "messageIds",
            "messageId",
            "url",
            "topicName",
            "urlGroup",
            "scheduleId",
            "queueName",
            "label",
            "flowControlKey",
            "callerIp",
            "callerIP",
            "fromDate",
            "toDate");

    /** The fields of a workflow run's entries ({@code DlqSelection.WorkflowFilter}). */
    static final Set<String> WORKFLOW =
        Set.of("workflowRunId", "workflowCreatedAt", "workflowUrl", "failureFunctionState");

    static final Map<String, String> DLQ_REFUSED =
        Map.of(
            "host", "host and path filters are not supported by the DLQ; filter by url instead",
            "path", "host and path filters are not supported by the DLQ; filter by url instead",
            "state", "not a DLQ filter");

    /**
     * QStash dropped the {@code api} filter: ignoring it on a bulk call would act on every entry.
     */
    static final Map<String, String> API_REFUSED =
        Map.of(
            "api",
            "no longer a filter; a bulk call with it would act on every entry, so it is refused");
  }
}
