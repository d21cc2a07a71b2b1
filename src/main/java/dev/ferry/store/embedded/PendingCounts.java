package dev.ferry.store.embedded;

import dev.ferry.store.codec.MessageCodec;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exact pending-message count per tenant, kept in the store: each write that adds or removes
 * pending messages also puts each changed tenant's new count (one row per tenant per group commit,
 * see {@link Batch#countPending}), so the rows are exactly as durable as the messages. This map
 * mirrors the rows; it changes only on the writer thread, after each commit, and is read from any
 * thread.
 *
 * <p>A store written by a Ferry that did not keep the counts has no rows: {@link #load} then counts
 * the pending messages once (one pass over the messages, before the writer starts) and writes the
 * rows with a marker, so the pass never runs again.
 */
final class PendingCounts {
  private static final Logger LOG = LoggerFactory.getLogger(PendingCounts.class);

  private final ConcurrentHashMap<String, Long> counts = new ConcurrentHashMap<>();

  /** Reads the counts, first building them when the store has none (blocking; at open). */
  static PendingCounts load(EmbeddedDb db) throws RocksDBException {
    RocksDB rocks = db.db();
    ColumnFamilyHandle meta = db.defaultFamily();
    PendingCounts loaded = new PendingCounts();
    if (rocks.get(meta, Keys.PENDING_COUNTS_BUILT) == null) {
      loaded.build(rocks, meta, db.messages());
      return loaded;
    }
    try (RocksIterator it = rocks.newIterator(meta)) {
      for (it.seek(Keys.PENDING_COUNT_PREFIX);
          it.isValid() && Keys.startsWith(it.key(), Keys.PENDING_COUNT_PREFIX);
          it.next()) {
        long n = Keys.longOf(it.value());
        if (n != 0) loaded.counts.put(Keys.pendingCountTenantOf(it.key()), n);
      }
      it.status();
    }
    return loaded;
  }

  private void build(RocksDB rocks, ColumnFamilyHandle meta, ColumnFamilyHandle messages)
      throws RocksDBException {
    long started = System.nanoTime();
    long total = 0;
    try (RocksIterator it = rocks.newIterator(messages)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        counts.merge(MessageCodec.tenantOf(it.value()), 1L, Long::sum);
        total++;
      }
      it.status();
    }
    try (WriteBatch writes = new WriteBatch();
        WriteOptions synced = new WriteOptions().setSync(true)) {
      for (Map.Entry<String, Long> e : counts.entrySet()) {
        writes.put(meta, Keys.pendingCount(e.getKey()), Keys.longValue(e.getValue()));
      }
      writes.put(meta, Keys.PENDING_COUNTS_BUILT, Keys.EMPTY);
      rocks.write(synced, writes);
    }
    LOG.info(
        "counted the {} pending messages of {} tenants in {} ms (once: the store had no counts)",
        total,
        counts.size(),
        (System.nanoTime() - started) / 1_000_000);
  }

  /** The tenant's pending messages as of the last committed write. */
  long get(String tenant) {
    return counts.getOrDefault(tenant, 0L);
  }

  /**
   * Writer thread, before the commit: puts into {@code writes} the new count of each tenant whose
   * count changes by a non-zero delta; returns those deltas, for {@link #apply} once committed.
   */
  Map<String, Long> write(WriteBatch writes, ColumnFamilyHandle meta, Map<String, Long> deltas)
      throws RocksDBException {
    Map<String, Long> changed = new HashMap<>(deltas.size() * 2);
    for (Map.Entry<String, Long> e : deltas.entrySet()) {
      long delta = e.getValue();
      if (delta == 0) continue;
      String tenant = e.getKey();
      long next = get(tenant) + delta;
      byte[] key = Keys.pendingCount(tenant);
      if (next == 0) writes.delete(meta, key);
      else writes.put(meta, key, Keys.longValue(next));
      changed.put(tenant, delta);
    }
    return changed;
  }

  /** Writer thread, after the commit: counts that reach zero are dropped, as their rows are. */
  void apply(Map<String, Long> deltas) {
    deltas.forEach(
        (tenant, delta) ->
            counts.compute(
                tenant,
                (t, v) -> {
                  long n = (v == null ? 0 : v) + delta;
                  return n == 0 ? null : n;
                }));
  }
}
