package dev.ferry.store.embedded;

import dev.ferry.model.Message;
import dev.ferry.store.codec.MessageCodec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.RocksDBException;

/**
 * An append computed on the caller's thread, so that a caller reusing its list afterwards cannot
 * change what gets written. Each message is encoded by the writer, just before RocksDB copies it
 * into the batch: an append waiting in the writer's queue then holds its bodies once (in the
 * messages, which the caller keeps anyway) rather than twice, which is what lets the API's byte
 * budget count on a body being held twice (docs/operations.md#overload-and-full-disks).
 */
final class PreparedAppend {
  private final EmbeddedDb db;
  private final QueueCounters counters;
  private final PendingCounts pending;
  private final int n;
  private final Message[] messages;
  private final byte[][] indexKeys;

  /**
   * Whether message i has a queue position (else a due row, when {@link DueRows} asks for one); the
   * handle is fetched on the writer thread.
   */
  private final boolean[] queued;

  /** Queue counter key of each queued message, null for unqueued ones; null when none is queued. */
  private final String[] counterKeys;

  /** What {@link #writeAll} adds to each queue's counter; null when none is queued. */
  private final Map<String, Long> allCounts;

  /** What {@link #writeAll} adds to each tenant's pending count. */
  private final Map<String, Long> allTenants;

  PreparedAppend(
      EmbeddedDb db, QueueCounters counters, PendingCounts pending, List<Message> messages) {
    this.db = db;
    this.counters = counters;
    this.pending = pending;
    n = messages.size();
    this.messages = messages.toArray(Message[]::new);
    indexKeys = new byte[n][];
    queued = new boolean[n];
    String[] counted = null;
    for (int i = 0; i < n; i++) {
      Message m = messages.get(i);
      if (m.queued()) {
        queued[i] = true;
        indexKeys[i] = Keys.queuePosition(m.tenant(), m.queueName(), m.id());
        counted = counted == null ? new String[n] : counted;
        counted[i] = QueueCounters.key(m.tenant(), m.queueName());
      } else if (DueRows.separate(m.id(), m.dueAt())) {
        indexKeys[i] = Keys.due(m.dueAt(), m.id());
      } // else the record is its own due index entry: no row
    }
    counterKeys = counted;
    allCounts = queueCounts(null);
    allTenants = tenantCounts(null);
  }

  /**
   * Writes message {@code i} with its queue position or due row, if it needs one (writer thread).
   */
  void write(Batch batch, int i) throws RocksDBException {
    Message m = messages[i];
    batch.writes().put(db.messages(), Keys.message(m.id()), MessageCodec.encode(m));
    if (indexKeys[i] != null) {
      batch.writes().put(queued[i] ? db.queuePositions() : db.due(), indexKeys[i], Keys.EMPTY);
    }
    batch.messageWritten(m.id(), m.dueAt());
  }

  /**
   * Writes every message, and counts the queued ones into their queues once committed (writer
   * thread).
   */
  void writeAll(Batch batch) throws RocksDBException {
    for (int i = 0; i < n; i++) {
      write(batch, i);
    }
    if (allCounts != null) {
      batch.afterCommit(() -> allCounts.forEach(counters::add));
    }
    countPending(batch, allTenants);
  }

  /** Adds the messages a write stored to their tenants' pending counts, once per tenant. */
  void countPending(Batch batch, Map<String, Long> added) {
    added.forEach((tenant, n) -> batch.countPending(pending, tenant, n));
  }

  /** Messages added per tenant, leaving out the {@code skipped} ones (null = none). */
  Map<String, Long> tenantCounts(boolean[] skipped) {
    Map<String, Long> added = new HashMap<>(4);
    for (int i = 0; i < n; i++) {
      if (skipped == null || !skipped[i]) {
        added.merge(messages[i].tenant(), 1L, Long::sum);
      }
    }
    return added;
  }

  /**
   * Messages added per queue counter, leaving out the {@code skipped} ones (null = none); null when
   * none.
   */
  Map<String, Long> queueCounts(boolean[] skipped) {
    if (counterKeys == null) {
      return null;
    }
    Map<String, Long> added = null;
    for (int i = 0; i < n; i++) {
      if (counterKeys[i] != null && (skipped == null || !skipped[i])) {
        added = added == null ? new HashMap<>() : added;
        added.merge(counterKeys[i], 1L, Long::sum);
      }
    }
    return added;
  }
}
