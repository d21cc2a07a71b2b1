package dev.ferry.store.embedded;

import java.util.List;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksObject;

/**
 * One open RocksDB with its column family handles (in the order of its descriptors) and every
 * native options object it was opened with, closed together in the order RocksDB requires. Built by
 * {@link EmbeddedDb} and {@link LogDb}.
 */
record RocksInstance(RocksDB db, List<ColumnFamilyHandle> handles, List<RocksObject> options) {

  /**
   * Syncs the WAL when asked (unsynced writes are in it but maybe not on disk yet), then closes
   * handles before the DB and options last. Only call once nothing reads or writes this instance
   * any more.
   */
  void close(boolean syncWal) throws RocksDBException {
    try {
      if (syncWal) db.syncWal();
    } finally {
      handles.forEach(ColumnFamilyHandle::close);
      try {
        db.closeE();
      } finally {
        closeAll(options);
      }
    }
  }

  /**
   * Closes what a failed open left behind: whatever handles it made, the DB if it opened, and the
   * options.
   */
  static void closeFailedOpen(
      RocksDB db, List<ColumnFamilyHandle> handles, List<RocksObject> options) {
    handles.forEach(ColumnFamilyHandle::close);
    if (db != null) db.close();
    closeAll(options);
  }

  static <T extends RocksObject> T track(List<RocksObject> options, T object) {
    options.add(object);
    return object;
  }

  private static void closeAll(List<RocksObject> objects) {
    // reverse: column family options before the cache and filter they reference, DB options last
    for (int i = objects.size() - 1; i >= 0; i--) {
      objects.get(i).close();
    }
  }
}
