package dev.ferry.store.embedded;

import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store written before {@link DueRows} has a due row for every unqueued message, also for those
 * whose id holds their due time. Such a row is now never deleted (delivery deletes only the rows
 * {@link DueRows} asks for), so it would outlive its message. At the first open they are dropped,
 * in one pass over the due rows before the writer starts, and a marker is written so the pass never
 * runs again.
 */
final class RedundantDueRows {
  private static final Logger LOG = LoggerFactory.getLogger(RedundantDueRows.class);
  private static final int BATCH = 10_000;

  private RedundantDueRows() {}

  /** Drops them unless the store is marked as done (blocking; at open). */
  static void dropOnce(EmbeddedDb db) throws RocksDBException {
    RocksDB rocks = db.db();
    if (rocks.get(db.defaultFamily(), Keys.DUE_ROWS_SEPARATE_ONLY) != null) return;
    long started = System.nanoTime();
    long dropped = 0;
    try (WriteOptions synced = new WriteOptions().setSync(true);
        RocksIterator it = rocks.newIterator(db.due())) {
      WriteBatch writes = new WriteBatch();
      try {
        for (it.seekToFirst(); it.isValid(); it.next()) {
          byte[] key = it.key();
          if (DueRows.separate(Keys.dueIdOf(key), Keys.dueAtOf(key))) continue;
          writes.delete(db.due(), key);
          if (++dropped % BATCH == 0) {
            rocks.write(synced, writes);
            writes.close();
            writes = new WriteBatch();
          }
        }
        it.status();
        writes.put(db.defaultFamily(), Keys.DUE_ROWS_SEPARATE_ONLY, Keys.EMPTY);
        rocks.write(synced, writes);
      } finally {
        writes.close();
      }
    }
    if (dropped > 0)
      LOG.info(
          "dropped {} due rows that message ids now hold, in {} ms (once: the store predates it)",
          dropped,
          (System.nanoTime() - started) / 1_000_000);
  }
}
