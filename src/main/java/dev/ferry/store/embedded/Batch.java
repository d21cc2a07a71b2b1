package dev.ferry.store.embedded;

import dev.ferry.store.codec.MessageCodec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * One group commit as {@link RocksWriter} assembles it, on the writer thread only: the {@link
 * WriteBatch}, an overlay of what earlier operations in it created or removed (so a check such as
 * "is this message still pending?" sees the batch as well as the DB), and the in-memory updates to
 * publish once the batch is durable.
 *
 * <p>Each operation runs between {@link #beginOp} and {@link #endOp}; if it throws, {@link
 * #abortOp} undoes its writes, overlay changes and hooks, so one bad operation fails alone instead
 * of taking its batch down.
 */
final class Batch implements AutoCloseable {
  private static final int NOT_FOUND = RocksDB.NOT_FOUND;

  private final EmbeddedDb db;
  private final WriteBatch writes = new WriteBatch();

  /**
   * Message id → dueAt of the pending message as this batch leaves it; a null value means removed.
   * Messages just written are first only listed ({@link #written}), and moved in here when
   * something looks a message up or removes one ({@link #overlay}).
   */
  private final Map<String, Long> messages = new HashMap<>();

  /**
   * Messages written since the overlay was last brought up to date, in order, all newer than what
   * {@link #messages} says of them: a group commit of appends, which nobody looks up, costs two
   * array writes per message instead of a map entry and an undo step.
   */
  private String[] written = new String[64];

  private long[] writtenDueAt = new long[64];
  private int writtenCount;

  /** How many of {@link #written} earlier operations left: an aborted operation drops the rest. */
  private int writtenAtBegin;

  /**
   * Other tracked records (DLQ entries, metadata, dedup records): column family → key → value after
   * this batch, null when deleted. Identity map: ColumnFamilyHandle.hashCode() calls into native
   * code.
   */
  private final Map<ColumnFamilyHandle, Map<ByteBuffer, byte[]>> cells = new IdentityHashMap<>();

  /** Tenant → change of its pending count made by this batch, written once per tenant. */
  private final Map<String, Long> pendingDeltas = new HashMap<>();

  private PendingCounts pendingCounts;
  private final List<Runnable> afterCommit = new ArrayList<>();
  private final List<Runnable> undo = new ArrayList<>();
  private final byte[] peek = new byte[MessageCodec.DUE_AT_END];
  private int hooksAtBegin;

  Batch(EmbeddedDb db) {
    this.db = db;
  }

  WriteBatch writes() {
    return writes;
  }

  EmbeddedDb db() {
    return db;
  }

  boolean hasWrites() {
    return writes.count() > 0;
  }

  /**
   * Runs after the batch is durable, before any of its callers hear back (counters, metadata maps).
   */
  void afterCommit(Runnable hook) {
    afterCommit.add(hook);
  }

  List<Runnable> commitHooks() {
    return afterCommit;
  }

  /**
   * The dueAt of the message if it is pending, as of this batch: the overlay first, else a 9-byte
   * partial get.
   */
  OptionalLong pendingDueAt(String messageId) throws RocksDBException {
    Map<String, Long> overlay = overlay();
    if (overlay.containsKey(messageId)) {
      Long dueAt = overlay.get(messageId);
      return dueAt == null ? OptionalLong.empty() : OptionalLong.of(dueAt);
    }
    int size = db.db().get(db.messages(), Keys.message(messageId), peek);
    return size == NOT_FOUND ? OptionalLong.empty() : OptionalLong.of(MessageCodec.dueAtOf(peek));
  }

  /**
   * Changes the tenant's pending count by {@code delta} with this batch: summed in memory, so the
   * batch writes one row per tenant however many messages it adds or removes ({@link
   * #writePendingCounts}). Call it once per tenant per operation.
   */
  void countPending(PendingCounts counts, String tenant, long delta) {
    pendingCounts = counts;
    Long before = pendingDeltas.get(tenant);
    track(pendingDeltas, tenant, (before == null ? 0 : before) + delta);
  }

  /**
   * Once every operation is in, before the write: adds each changed tenant's new count to the batch
   * and publishes it once committed.
   */
  void writePendingCounts() throws RocksDBException {
    if (pendingCounts == null || pendingDeltas.isEmpty()) return;
    PendingCounts counts = pendingCounts;
    Map<String, Long> changed = counts.write(writes, db.defaultFamily(), pendingDeltas);
    if (!changed.isEmpty()) afterCommit(() -> counts.apply(changed));
  }

  void messageWritten(String messageId, long dueAt) {
    if (writtenCount == written.length) {
      written = Arrays.copyOf(written, writtenCount * 2);
      writtenDueAt = Arrays.copyOf(writtenDueAt, writtenCount * 2);
    }
    written[writtenCount] = messageId;
    writtenDueAt[writtenCount++] = dueAt;
  }

  void messageRemoved(String messageId) {
    track(overlay(), messageId, null);
  }

  /**
   * The overlay of messages, brought up to date: the messages listed since last time are moved in,
   * the current operation's with undo steps (earlier operations have ended and cannot be undone).
   */
  private Map<String, Long> overlay() {
    for (int i = 0; i < writtenCount; i++) {
      if (i < writtenAtBegin) {
        messages.put(written[i], writtenDueAt[i]);
      } else {
        track(messages, written[i], writtenDueAt[i]);
      }
      written[i] = null;
    }
    writtenCount = 0;
    writtenAtBegin = 0;
    return messages;
  }

  /**
   * Whether {@code key} exists in {@code cf} as of this batch, seeing changes made via {@link
   * #put}/{@link #delete}.
   */
  boolean exists(ColumnFamilyHandle cf, byte[] key) throws RocksDBException {
    Map<ByteBuffer, byte[]> tracked = cells(cf);
    ByteBuffer k = ByteBuffer.wrap(key); // ByteBuffer: equality by content
    if (tracked.containsKey(k)) {
      return tracked.get(k) != null;
    }
    return db.db().get(cf, key, peek) != NOT_FOUND;
  }

  /**
   * The value of {@code key} in {@code cf} as of this batch (null when absent), like {@link
   * #exists}.
   */
  byte[] get(ColumnFamilyHandle cf, byte[] key) throws RocksDBException {
    Map<ByteBuffer, byte[]> tracked = cells(cf);
    ByteBuffer k = ByteBuffer.wrap(key);
    return tracked.containsKey(k) ? tracked.get(k) : db.db().get(cf, key);
  }

  /** A put that later {@link #exists} and {@link #get} calls in this batch will see. */
  void put(ColumnFamilyHandle cf, byte[] key, byte[] value) throws RocksDBException {
    writes.put(cf, key, value);
    track(cells(cf), ByteBuffer.wrap(key), value);
  }

  /** A delete that later {@link #exists} and {@link #get} calls in this batch will see. */
  void delete(ColumnFamilyHandle cf, byte[] key) throws RocksDBException {
    writes.delete(cf, key);
    track(cells(cf), ByteBuffer.wrap(key), null);
  }

  void beginOp() {
    writes.setSavePoint();
    writtenAtBegin = writtenCount;
    undo.clear();
    hooksAtBegin = afterCommit.size();
  }

  void endOp() throws RocksDBException {
    writes.popSavePoint();
    undo.clear();
  }

  void abortOp() throws RocksDBException {
    writes.rollbackToSavePoint();
    Arrays.fill(written, writtenAtBegin, writtenCount, null);
    writtenCount = writtenAtBegin;
    for (int i = undo.size() - 1; i >= 0; i--) {
      undo.get(i).run();
    }
    undo.clear();
    afterCommit.subList(hooksAtBegin, afterCommit.size()).clear();
  }

  @Override
  public void close() {
    writes.close();
  }

  private <K, V> void track(Map<K, V> map, K key, V value) {
    boolean had = map.containsKey(key);
    V old = map.put(key, value);
    undo.add(
        () -> {
          if (had) {
            map.put(key, old);
          } else {
            map.remove(key);
          }
        });
  }

  private Map<ByteBuffer, byte[]> cells(ColumnFamilyHandle cf) {
    return cells.computeIfAbsent(cf, c -> new HashMap<>());
  }
}
