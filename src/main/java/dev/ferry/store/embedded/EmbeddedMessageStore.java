package dev.ferry.store.embedded;

import dev.ferry.model.AttemptResult;
import dev.ferry.model.DlqEntry;
import dev.ferry.model.DueEntry;
import dev.ferry.model.Message;
import dev.ferry.store.MessageStore;
import dev.ferry.store.codec.MessageCodec;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * {@link MessageStore} on RocksDB: messages by id, the due index (unqueued messages) and queue
 * positions (queued ones), changed together in one batch. Encoding runs on the caller's thread, so
 * the single writer only copies bytes.
 *
 * <p>A transition (markDelivered, reschedule, moveToDlq) on a message that is no longer pending is
 * a no-op that completes normally: the message already reached a terminal state (delivered, purged,
 * moved), and writing it back would resurrect it or give it a second terminal state.
 */
final class EmbeddedMessageStore implements MessageStore {
  private final EmbeddedDb db;
  private final RocksWriter writer;
  private final RocksReaders readers;
  private final QueueCounters counters;
  private final PendingCounts pending;
  private final DedupWrites dedup;

  EmbeddedMessageStore(
      EmbeddedDb db,
      RocksWriter writer,
      RocksReaders readers,
      QueueCounters counters,
      PendingCounts pending) {
    this.db = db;
    this.writer = writer;
    this.readers = readers;
    this.counters = counters;
    this.pending = pending;
    this.dedup = new DedupWrites(db, writer, counters);
  }

  /** Message ids are unique (ingest mints them), so an append never replaces a pending message. */
  @Override
  public Future<Void> append(List<Message> messages) {
    if (messages.isEmpty()) {
      return Future.succeededFuture();
    }
    PreparedAppend prepared = prepare(messages);
    return writer.write(
        batch -> {
          prepared.writeAll(batch);
          return null;
        });
  }

  /**
   * The decision runs on the writer thread against the batch overlay, so it sees appends earlier in
   * the batch.
   */
  @Override
  public Future<List<String>> appendDeduplicated(
      List<Message> messages, List<String> dedupKeys, long nowMillis, long expiresAt) {
    if (messages.size() != dedupKeys.size()) {
      return Future.failedFuture(
          new IllegalArgumentException("one dedup key (or null) per message"));
    }
    if (messages.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return dedup.append(prepare(messages), messages, dedupKeys, nowMillis, expiresAt);
  }

  /**
   * Not synced: a purge lost to a power cut leaves expired records, which are ignored anyway. An
   * index row whose record was re-used since (a newer expiry) is dropped without touching the
   * record.
   */
  @Override
  public Future<Integer> purgeExpiredDedup(long nowMillis, int limit) {
    return dedup.purgeExpired(nowMillis, limit);
  }

  /**
   * Encodes an append on the caller's thread, so the writer only copies bytes; also used by a
   * schedule's tick.
   */
  PreparedAppend prepare(List<Message> messages) {
    return new PreparedAppend(db, counters, pending, messages);
  }

  @Override
  public Future<Optional<Message>> find(String tenant, String messageId) {
    return readers.read(
        () -> {
          byte[] value = db.db().get(db.messages(), Keys.message(messageId));
          if (value == null) {
            return Optional.empty();
          }
          Message m = MessageCodec.decodeMessage(value);
          return m.tenant().equals(tenant) ? Optional.of(m) : Optional.empty();
        });
  }

  @Override
  public Future<List<Message>> findAll(List<String> messageIds) {
    if (messageIds.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return readers.read(() -> multiGet(messageIds));
  }

  @Override
  public Future<List<DueEntry>> scanDue(
      long afterDueAt, String afterId, long untilDueAt, int limit) {
    if (limit <= 0 || afterDueAt > untilDueAt) {
      return Future.succeededFuture(List.of());
    }
    return readers.read(() -> DueScan.scan(db, afterDueAt, afterId, untilDueAt, limit));
  }

  @Override
  public Future<List<Message>> queueSlice(String tenant, String queue, String afterId, int limit) {
    if (limit <= 0) {
      return Future.succeededFuture(List.of());
    }
    byte[] prefix = Keys.queuePrefix(tenant, queue);
    return readers.read(
        () -> {
          List<String> ids = new ArrayList<>(Math.min(limit, 1024));
          byte[] from = afterId == null ? prefix : Keys.queuePosition(tenant, queue, afterId);
          try (RocksIterator it = db.db().newIterator(db.queuePositions())) {
            it.seek(from);
            if (afterId != null && it.isValid() && Arrays.equals(it.key(), from)) {
              it.next();
            }
            for (; it.isValid() && ids.size() < limit; it.next()) {
              byte[] key = it.key();
              if (!Keys.startsWith(key, prefix)) {
                break;
              }
              ids.add(Keys.suffixOf(key, prefix.length));
            }
            it.status();
          }
          return ids.isEmpty() ? List.<Message>of() : multiGet(ids);
        });
  }

  @Override
  public Future<Long> pendingCount(String tenant) {
    return Future.succeededFuture(pending.get(tenant));
  }

  @Override
  public Future<Long> queueLength(String tenant, String queue) {
    return Future.succeededFuture(counters.get(tenant, queue));
  }

  /** Alone in its batch, so its scan of the positions sees every earlier append committed. */
  @Override
  public Future<Long> purgeQueue(String tenant, String queue) {
    byte[] prefix = Keys.queuePrefix(tenant, queue);
    return writer.writeAlone(
        batch -> {
          long removed = 0;
          try (RocksIterator it = db.db().newIterator(db.queuePositions())) {
            for (it.seek(prefix); it.isValid() && Keys.startsWith(it.key(), prefix); it.next()) {
              String id = Keys.suffixOf(it.key(), prefix.length);
              batch.writes().delete(db.queuePositions(), it.key());
              batch.writes().delete(db.messages(), Keys.message(id));
              batch.messageRemoved(id);
              removed++;
            }
            it.status();
          }
          long count = removed;
          if (count > 0) {
            batch.afterCommit(() -> counters.add(QueueCounters.key(tenant, queue), -count));
            batch.countPending(pending, tenant, -count);
          }
          return count;
        });
  }

  /**
   * Not synced before answering (still in the WAL): losing it to a power cut only means the message
   * is delivered again after restart, which at-least-once allows, and the delivery path is spared
   * one fsync per message.
   */
  @Override
  public Future<Void> markDelivered(Message message, AttemptResult attempt) {
    return markAllDelivered(List.of(message));
  }

  /**
   * One writer operation for the whole list. Each message is first looked up (a 9-byte partial get
   * of a record delivery has just read, so it is in the memtable or block cache): a message that
   * already left (cancelled, purged) must not count out of its tenant's pending count (nor its
   * queue's) a second time. The counts change once per tenant for the whole list.
   */
  @Override
  public Future<Void> markAllDelivered(List<Message> delivered) {
    if (delivered.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Message> messages = List.copyOf(delivered);
    return writer.writeUnsynced(
        batch -> {
          Map<String, Long> removed = new HashMap<>(4);
          for (Message m : messages) {
            OptionalLong storedDueAt = batch.pendingDueAt(m.id());
            if (storedDueAt.isPresent()) {
              remove(batch, m, storedDueAt.getAsLong());
              removed.merge(m.tenant(), -1L, Long::sum);
            }
          }
          removed.forEach((tenant, n) -> batch.countPending(pending, tenant, n));
          return null;
        });
  }

  /**
   * Not synced before answering, for the same reason as {@link #markDelivered}: a lost reschedule
   * leaves the previous attempt's state, so the message is retried once more, earlier than planned.
   */
  @Override
  public Future<Void> reschedule(Message previous, Message updated, AttemptResult attempt) {
    if (!previous.id().equals(updated.id())) {
      return Future.failedFuture(
          new IllegalArgumentException(
              "reschedule must keep the message id: " + previous.id() + " vs " + updated.id()));
    }
    byte[] key = Keys.message(updated.id());
    byte[] value = MessageCodec.encode(updated);
    return writer.writeUnsynced(
        batch -> {
          OptionalLong storedDueAt = batch.pendingDueAt(updated.id());
          if (storedDueAt.isEmpty()) {
            return null;
          }
          batch.writes().put(db.messages(), key, value);
          if (!updated.queued()) {
            // the stored dueAt, not previous.dueAt(): a stale caller must not leave an orphan due
            // row behind
            long stored = storedDueAt.getAsLong();
            if (DueRows.separate(updated.id(), stored))
              batch.writes().delete(db.due(), Keys.due(stored, updated.id()));
            if (DueRows.separate(updated.id(), updated.dueAt()))
              batch.writes().put(db.due(), Keys.due(updated.dueAt(), updated.id()), Keys.EMPTY);
          }
          batch.messageWritten(updated.id(), updated.dueAt());
          return null;
        });
  }

  @Override
  public Future<Void> moveToDlq(Message message, DlqEntry entry) {
    PreparedDlqMove move = prepareDlqMove(message, entry);
    return writer.writeOutcome(
        batch -> {
          move.write(batch);
          return null;
        });
  }

  /** A move to the DLQ encoded on the caller's thread, for a write that does more. */
  PreparedDlqMove prepareDlqMove(Message message, DlqEntry entry) {
    byte[] dlqKey = Keys.dlq(message.tenant(), entry.dlqId());
    byte[] dlqValue = MessageCodec.encode(entry);
    return batch -> {
      OptionalLong storedDueAt = batch.pendingDueAt(message.id());
      if (storedDueAt.isEmpty()) {
        return false;
      }
      remove(batch, message, storedDueAt.getAsLong());
      batch.countPending(pending, message.tenant(), -1);
      batch.put(db.dlq(), dlqKey, dlqValue);
      return true;
    };
  }

  /** Adds a move to the DLQ to a batch (writer thread). */
  @FunctionalInterface
  interface PreparedDlqMove {
    /** False, writing nothing, when the message is no longer pending. */
    boolean write(Batch batch) throws RocksDBException;
  }

  /**
   * Deletes the message with its due row or queue position; counts it out of its queue once
   * committed. The caller counts it out of its tenant's pending count (once per tenant per write).
   */
  private void remove(Batch batch, Message message, long storedDueAt) throws RocksDBException {
    batch.writes().delete(db.messages(), Keys.message(message.id()));
    if (message.queued()) {
      batch
          .writes()
          .delete(
              db.queuePositions(),
              Keys.queuePosition(message.tenant(), message.queueName(), message.id()));
      String counter = QueueCounters.key(message.tenant(), message.queueName());
      batch.afterCommit(() -> counters.add(counter, -1));
    } else if (DueRows.separate(message.id(), storedDueAt)) {
      batch.writes().delete(db.due(), Keys.due(storedDueAt, message.id()));
    }
    batch.messageRemoved(message.id());
  }

  private List<Message> multiGet(List<String> ids) throws RocksDBException {
    List<byte[]> keys = new ArrayList<>(ids.size());
    for (String id : ids) {
      keys.add(Keys.message(id));
    }
    List<byte[]> values =
        db.db().multiGetAsList(Collections.nCopies(ids.size(), db.messages()), keys);
    List<Message> out = new ArrayList<>(values.size());
    for (byte[] value : values) {
      if (value != null) {
        out.add(MessageCodec.decodeMessage(value));
      }
    }
    return out;
  }

  @Override
  public Future<List<Message>> cancel(String tenant, List<String> messageIds) {
    if (messageIds.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<String> ids = List.copyOf(messageIds);
    return writer.write(
        batch -> {
          List<Message> removed = new ArrayList<>();
          for (String id : ids) {
            OptionalLong storedDueAt = batch.pendingDueAt(id);
            if (storedDueAt.isEmpty()) {
              continue;
            }
            byte[] value = db.db().get(db.messages(), Keys.message(id));
            if (value == null) {
              continue; // appended earlier in this very batch: not visible to a get, so not
              // cancellable yet
            }
            Message m = MessageCodec.decodeMessage(value);
            if (!m.tenant().equals(tenant)) {
              continue;
            }
            remove(batch, m, storedDueAt.getAsLong());
            removed.add(m);
          }
          if (!removed.isEmpty()) batch.countPending(pending, tenant, -removed.size());
          return removed;
        });
  }

  @Override
  public Future<List<Message>> scanPending(String afterId, int limit) {
    if (limit <= 0) {
      return Future.succeededFuture(List.of());
    }
    return readers.read(
        () -> {
          List<Message> out = new ArrayList<>(Math.min(limit, 1024));
          try (RocksIterator it = db.db().newIterator(db.messages())) {
            if (afterId == null) {
              it.seekToFirst();
            } else {
              byte[] from = Keys.message(afterId);
              it.seek(from);
              if (it.isValid() && Arrays.equals(it.key(), from)) {
                it.next();
              }
            }
            for (; it.isValid() && out.size() < limit; it.next()) {
              out.add(MessageCodec.decodeMessage(it.value()));
            }
            it.status();
          }
          return out;
        });
  }
}
