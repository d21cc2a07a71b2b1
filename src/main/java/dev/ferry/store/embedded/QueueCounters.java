package dev.ferry.store.embedded;

import java.util.concurrent.ConcurrentHashMap;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/**
 * Exact pending-message count per (tenant, queue), so {@code queueLength} never scans. Built once
 * at open from the queue-position column family, then changed only by the writer thread after each
 * commit; read from any thread.
 */
final class QueueCounters {
  private final ConcurrentHashMap<String, Long> lengths = new ConcurrentHashMap<>();

  static QueueCounters load(RocksDB db, ColumnFamilyHandle positions) {
    QueueCounters counters = new QueueCounters();
    try (RocksIterator it = db.newIterator(positions)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        String[] tenantAndQueue = Keys.tenantAndQueueOf(it.key());
        counters.add(key(tenantAndQueue[0], tenantAndQueue[1]), 1);
      }
    }
    return counters;
  }

  long get(String tenant, String queue) {
    return lengths.getOrDefault(key(tenant, queue), 0L);
  }

  /**
   * Writer thread only. Counts that reach zero are dropped, so deleted queues leave nothing behind.
   */
  void add(String key, long delta) {
    lengths.compute(
        key,
        (k, v) -> {
          long n = (v == null ? 0 : v) + delta;
          return n == 0 ? null : n;
        });
  }

  static String key(String tenant, String queue) {
    return tenant + '\0' + queue;
  }
}
