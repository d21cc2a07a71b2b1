package dev.ferry.store.embedded;

import static dev.ferry.store.embedded.RocksInstance.track;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksObject;
import org.rocksdb.WALRecoveryMode;

/**
 * The message log's own RocksDB ({@code <dataDir>/logs}): entries by tenant and position, and the
 * snapshots of messages that left the message store. Its writer thread may reopen it in place after
 * a write error ({@link #rocks()}), so the accessors answer for the instance open now; callers
 * fetch handles where they use them and never keep one.
 */
final class LogDb {
  private static final long MB = 1024 * 1024;

  private static final int EVENTS = 1;
  private static final int SNAPSHOTS = 2;

  private final ReopenableDb rocks;

  private LogDb(Path dir, RocksInstance first) {
    this.rocks = new ReopenableDb("the log store", first, () -> openInstance(dir, true));
  }

  /** Opens (creating if missing) the log's DB in {@code dir}; blocking. */
  static LogDb open(Path dir) throws RocksDBException, IOException {
    return new LogDb(dir, openInstance(dir, false));
  }

  private static RocksInstance openInstance(Path dir, boolean reopenedAfterFailedWrite)
      throws RocksDBException, IOException {
    List<CompressionType> compression = LevelCompression.ofLog(reopenedAfterFailedWrite);
    RocksDB.loadLibrary();
    Files.createDirectories(dir);
    List<RocksObject> options = new ArrayList<>();
    Cache cache = track(options, new LRUCache(8 * MB));
    BloomFilter bloom = track(options, new BloomFilter(10));
    List<ColumnFamilyDescriptor> descriptors =
        List.of(
            new ColumnFamilyDescriptor(
                RocksDB.DEFAULT_COLUMN_FAMILY, track(options, new ColumnFamilyOptions())),
            new ColumnFamilyDescriptor(
                "events".getBytes(StandardCharsets.UTF_8),
                track(
                    options,
                    new ColumnFamilyOptions()
                        .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache))
                        .setCompressionPerLevel(compression)
                        .setWriteBufferSize(16 * MB))),
            new ColumnFamilyDescriptor(
                "snapshots".getBytes(StandardCharsets.UTF_8),
                track(
                    options,
                    new ColumnFamilyOptions()
                        .setTableFormatConfig(
                            new BlockBasedTableConfig().setBlockCache(cache).setFilterPolicy(bloom))
                        .setCompressionPerLevel(compression)
                        .setWriteBufferSize(32 * MB))));
    DBOptions dbOptions =
        track(
            options,
            new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setMaxBackgroundJobs(1)
                .setMaxTotalWalSize(64 * MB)
                .setKeepLogFileNum(2)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                // unlike the message store, this WAL is never synced (log entries are not
                // acknowledged to anyone): after a power cut its tail may be damaged beyond a torn
                // record, and replaying up to the damage is the right answer
                .setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery));
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    RocksDB db = null;
    try {
      db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
      return new RocksInstance(db, handles, options);
    } catch (RocksDBException | RuntimeException e) {
      RocksInstance.closeFailedOpen(db, handles, options);
      throw e;
    }
  }

  ReopenableDb rocks() {
    return rocks;
  }

  RocksDB db() {
    return rocks.live().db();
  }

  ColumnFamilyHandle events() {
    return rocks.live().handles().get(EVENTS);
  }

  ColumnFamilyHandle snapshots() {
    return rocks.live().handles().get(SNAPSHOTS);
  }

  /**
   * Syncs the WAL and closes everything, once nothing reads or writes any more; a second call does
   * nothing.
   */
  void close() throws RocksDBException {
    rocks.close();
  }
}
