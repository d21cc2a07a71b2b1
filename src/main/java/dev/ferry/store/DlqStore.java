package dev.ferry.store;

import dev.ferry.model.DlqEntry;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * Dead-letter entries per tenant, oldest first. Written through {@link MessageStore#moveToDlq}.
 * Non-blocking.
 */
public interface DlqStore {

  Future<Optional<DlqEntry>> find(String tenant, String dlqId);

  /**
   * The tenant's entries after {@code afterDlqId} (null = from the oldest), oldest first, at most
   * {@code limit}.
   */
  Future<List<DlqEntry>> list(String tenant, String afterDlqId, int limit);

  /**
   * How many entries the tenant has (counts without decoding them; for the DLQ-size gauge at
   * start-up).
   */
  Future<Long> count(String tenant);

  /** Removes one entry; completes with false when it was not there. */
  Future<Boolean> delete(String tenant, String dlqId);

  /**
   * The tenant's entries strictly before {@code beforeDlqId} (null = from the newest), newest
   * first, at most {@code limit}.
   */
  Future<List<DlqEntry>> listNewestFirst(String tenant, String beforeDlqId, int limit);

  /**
   * Removes the tenant's entries with these ids in one write; completes with the ids that were
   * there.
   */
  Future<List<String>> deleteAll(String tenant, List<String> dlqIds);

  /**
   * Removes at most {@code limit} entries (any tenant) whose dlqId time is before {@code
   * beforeMillis}; completes with how many (a caller repeats while it gets {@code limit}).
   */
  Future<Integer> expire(long beforeMillis, int limit);
}
