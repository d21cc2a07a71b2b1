package dev.ferry.api.manage;

import dev.ferry.model.DlqEntry;
import dev.ferry.model.Message;
import dev.ferry.model.Schedule;
import dev.ferry.store.DlqStore;
import dev.ferry.store.MessageStore;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code lastScheduleStates} of schedules: for each message their last tick produced, {@code
 * IN_PROGRESS} while it is still pending in the message store, {@code FAIL} once it is in the DLQ,
 * {@code SUCCESS} otherwise (delivered). The DLQ has no index by message id, so it is searched from
 * its oldest entry, at most {@link #DLQ_SCAN_LIMIT} entries; a failed message beyond that (in a DLQ
 * this long) is reported as {@code SUCCESS}. Non-blocking.
 */
final class ScheduleStates {
  static final int DLQ_PAGE = 1000;
  static final int DLQ_SCAN_LIMIT = 10_000;

  private final MessageStore messages;
  private final DlqStore dlq;

  ScheduleStates(MessageStore messages, DlqStore dlq) {
    this.messages = messages;
    this.dlq = dlq;
  }

  /** Message id → state, for every last-tick message of {@code schedules} (all of one tenant). */
  Future<Map<String, String>> of(String tenant, List<Schedule> schedules) {
    List<String> ids = schedules.stream().flatMap(s -> s.lastMessageIds().stream()).toList();
    if (ids.isEmpty()) return Future.succeededFuture(Map.of());
    return messages
        .findAll(ids)
        .compose(
            pending -> {
              Map<String, String> states = new HashMap<>();
              Set<String> finished = new HashSet<>(ids);
              for (Message m : pending) {
                states.put(m.id(), "IN_PROGRESS");
                finished.remove(m.id());
              }
              if (finished.isEmpty()) return Future.succeededFuture(states);
              return failed(tenant, finished, null, 0)
                  .map(
                      failed -> {
                        finished.forEach(
                            id -> states.put(id, failed.contains(id) ? "FAIL" : "SUCCESS"));
                        return states;
                      });
            });
  }

  /**
   * Which of {@code wanted} are in the tenant's DLQ, paging after {@code after} until found or the
   * limit.
   */
  private Future<Set<String>> failed(String tenant, Set<String> wanted, String after, int scanned) {
    return dlq.list(tenant, after, DLQ_PAGE)
        .compose(
            page -> {
              Set<String> found = new HashSet<>();
              for (DlqEntry e : page) {
                if (wanted.contains(e.message().id())) found.add(e.message().id());
              }
              int total = scanned + page.size();
              if (found.size() == wanted.size()
                  || page.size() < DLQ_PAGE
                  || total >= DLQ_SCAN_LIMIT) {
                return Future.succeededFuture(found);
              }
              Set<String> rest = new HashSet<>(wanted);
              rest.removeAll(found);
              return failed(tenant, rest, page.get(page.size() - 1).dlqId(), total)
                  .map(
                      more -> {
                        found.addAll(more);
                        return found;
                      });
            });
  }
}
