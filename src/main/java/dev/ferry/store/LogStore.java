package dev.ferry.store;

import dev.ferry.model.LogEntry;
import dev.ferry.model.LogRecord;
import dev.ferry.model.Message;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The message log: one entry per state transition, per tenant, ordered by when it was recorded.
 * Observability, not the record of truth: recording never blocks or fails the caller, and entries
 * may be lost (dropped under overload, or the last few milliseconds on a power cut). Thread-safe.
 */
public interface LogStore {

  /** Records the CREATED transition of freshly stored messages (one call per ingest append). */
  void created(List<Message> messages);

  /** Records one transition. */
  void record(LogRecord record);

  /** Records several transitions, in order. */
  void recordAll(List<LogRecord> records);

  /** One page of the tenant's entries. */
  Future<Page> query(String tenant, Query query);

  /**
   * Deletes at most about {@code limit} entries recorded before {@code beforeMillis}, with the
   * message snapshots only they still needed; completes with how many entries it deleted (a caller
   * repeats while it gets {@code limit}).
   */
  Future<Integer> expire(long beforeMillis, int limit);

  /** Entries dropped since start because the store could not keep up. */
  long dropped();

  /**
   * As {@link Stores#unrecoverable}: why the log cannot work again unless the process restarts, or
   * empty.
   */
  default Optional<String> unrecoverable() {
    return Optional.empty();
  }

  Future<Void> close();

  /**
   * @param latestFirst newest first (the default of {@code /v2/logs}) or oldest first
   * @param after exclusive position to continue from (a cursor), or -1 to start at the
   *     newest/oldest end
   * @param fromMillis earliest transition time wanted (inclusive), 0 = unbounded
   * @param toMillis latest transition time wanted (inclusive), Long.MAX_VALUE = unbounded
   * @param count most entries to return
   * @param filter which entries to keep
   * @param scanLimit most entries to examine; a page that hits it ends early with a cursor
   */
  record Query(
      boolean latestFirst,
      long after,
      long fromMillis,
      long toMillis,
      int count,
      Predicate<LogEntry> filter,
      int scanLimit) {}

  /**
   * @param next position to pass as {@code after} for the next page, or -1 when there is nothing
   *     more
   */
  record Page(List<LogEntry> entries, long next) {}
}
