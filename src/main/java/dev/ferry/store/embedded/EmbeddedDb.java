package dev.ferry.store.embedded;

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
import org.rocksdb.Env;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksObject;
import org.rocksdb.WALRecoveryMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.rocksdb.SstFileManager;

/**
 * The RocksDB instance with one column family per kind of record, and every native object it needs. Opened by
 * {@link EmbeddedStores} (blocking, off the event loop) and closed last, after the writer and readers have stopped.
 */
final class EmbeddedDb implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDb.class);
  private static final long MB = 1024 * 1024;
  /** Indexes into {@link #handles}, in the order the descriptors are built in {@link #open}. */
  private static final int MESSAGES = 1;
  private static final int DUE = 2;
  private static final int QUEUE_POSITIONS = 3;
  private static final int DLQ = 4;
  private static final int QUEUES = 5;
  private static final int URL_GROUPS = 6;
  private static final int SIGNING_KEYS = 7;
  private static final int SCHEDULES = 8;
  private static final int DEDUP = 9;
  private static final int FLOW_CONTROL = 10;

  private final RocksDB db;
  private final List<ColumnFamilyHandle> handles;
  private final List<RocksObject> options;

  private EmbeddedDb(RocksDB db, List<ColumnFamilyHandle> handles, List<RocksObject> options) {
    this.db = db;
    this.handles = handles;
    this.options = options;
  }

  static EmbeddedDb open(Path dir) throws RocksDBException, IOException {
    // Every acknowledged write was synced, so only a write that was never acknowledged can be torn: an incomplete
    // last record is dropped. A record that is complete but fails its checksum is damage to data that may have been
    // acknowledged, and opening fails. (The default, point-in-time recovery, would instead stop replaying at the
    // first bad record and open without everything after it: silent loss.)
    return open(dir, WALRecoveryMode.TolerateCorruptedTailRecords);
  }

  /**
   * Opens with the given WAL recovery mode; {@link StoreRepair} uses {@code SkipAnyCorruptedRecords} to salvage
   * every intact record of a damaged log once, on the operator's explicit request.
   */
  static EmbeddedDb open(Path dir, WALRecoveryMode walRecovery) throws RocksDBException, IOException {
    RocksDB.loadLibrary(); // idempotent; the first call extracts and loads the native library
    Files.createDirectories(dir);
    List<RocksObject> options = new ArrayList<>();
    // Tests open many stores and a single node shares its machine with the gateway: keep caches and memtables small.
    Cache cache = track(options, new LRUCache(16 * MB));
    BloomFilter bloom = track(options, new BloomFilter(10));
    BlockBasedTableConfig pointLookups = new BlockBasedTableConfig().setBlockCache(cache).setFilterPolicy(bloom);
    BlockBasedTableConfig scans = new BlockBasedTableConfig().setBlockCache(cache);

    List<ColumnFamilyDescriptor> descriptors = List.of(
        descriptor(options, RocksDB.DEFAULT_COLUMN_FAMILY, scans, 1 * MB),
        // finds, existence checks and multiGets are point lookups: the bloom filter spares most disk reads
        descriptor(options, "messages".getBytes(StandardCharsets.UTF_8), pointLookups, 32 * MB),
        descriptor(options, "due".getBytes(StandardCharsets.UTF_8), scans, 8 * MB),
        descriptor(options, "queue-positions".getBytes(StandardCharsets.UTF_8), scans, 8 * MB),
        descriptor(options, "dlq".getBytes(StandardCharsets.UTF_8), pointLookups, 8 * MB),
        descriptor(options, "queues".getBytes(StandardCharsets.UTF_8), scans, 1 * MB),
        descriptor(options, "url-groups".getBytes(StandardCharsets.UTF_8), scans, 1 * MB),
        descriptor(options, "signing-keys".getBytes(StandardCharsets.UTF_8), scans, 1 * MB),
        descriptor(options, "schedules".getBytes(StandardCharsets.UTF_8), scans, 1 * MB),
        // dedup records (point lookups on publish) and their expiry index (range scans by the purge) share one CF
        descriptor(options, "dedup".getBytes(StandardCharsets.UTF_8), pointLookups, 8 * MB),
        descriptor(options, "flow-control".getBytes(StandardCharsets.UTF_8), scans, 1 * MB));
    // With an SstFileManager, RocksDB recovers by itself from ENOSPC in a background flush or compaction once space
    // returns (a failed WAL append is not recovered: the writer's disk reserve keeps that from happening).
    SstFileManager files = track(options, new SstFileManager(Env.getDefault()));
    DBOptions dbOptions = track(options, new DBOptions()
        .setSstFileManager(files)
        .setCreateIfMissing(true)
        .setCreateMissingColumnFamilies(true)
        .setMaxBackgroundJobs(2)
        // the small metadata CFs rarely flush and would pin old WAL files; past this size RocksDB flushes them
        .setMaxTotalWalSize(128 * MB)
        .setKeepLogFileNum(3)
        .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
        .setWalRecoveryMode(walRecovery)
        .setParanoidChecks(true));
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    RocksDB db = null;
    try {
      db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
      // SST blocks are checked only when read, and a message may sit unread for days: read them all once now, so
      // damage is refused at start rather than found (or not) later. Measured: see README "Crash safety".
      long started = System.nanoTime();
      db.verifyChecksum();
      long tableBytes = 0;
      for (ColumnFamilyHandle h : handles) tableBytes += db.getLongProperty(h, "rocksdb.total-sst-files-size");
      LOG.info("store checksums verified in {} ms ({} MB of table files)",
          (System.nanoTime() - started) / 1_000_000, tableBytes / MB);
      return new EmbeddedDb(db, handles, options);
    } catch (RocksDBException e) {
      closeFailedOpen(db, handles, options);
      if (StoreCorruptedException.isCorruption(e)) throw StoreCorruptedException.of(dir, e);
      throw e;
    } catch (RuntimeException e) {
      closeFailedOpen(db, handles, options);
      throw e;
    }
  }

  private static void closeFailedOpen(RocksDB db, List<ColumnFamilyHandle> handles, List<RocksObject> options) {
    handles.forEach(ColumnFamilyHandle::close);
    if (db != null) db.close();
    closeAll(options);
  }

  RocksDB db() {
    return db;
  }

  ColumnFamilyHandle messages() {
    return handles.get(MESSAGES);
  }

  ColumnFamilyHandle due() {
    return handles.get(DUE);
  }

  ColumnFamilyHandle queuePositions() {
    return handles.get(QUEUE_POSITIONS);
  }

  ColumnFamilyHandle dlq() {
    return handles.get(DLQ);
  }

  ColumnFamilyHandle queues() {
    return handles.get(QUEUES);
  }

  ColumnFamilyHandle urlGroups() {
    return handles.get(URL_GROUPS);
  }

  ColumnFamilyHandle signingKeys() {
    return handles.get(SIGNING_KEYS);
  }

  ColumnFamilyHandle schedules() {
    return handles.get(SCHEDULES);
  }

  ColumnFamilyHandle dedup() {
    return handles.get(DEDUP);
  }

  ColumnFamilyHandle flowControl() {
    return handles.get(FLOW_CONTROL);
  }

  /**
   * Syncs the WAL (unsynced writes such as markDelivered are in it but maybe not on disk yet), then closes handles
   * before the DB and options last, the order RocksDB requires. Only call once nothing reads or writes any more.
   */
  @Override
  public void close() throws RocksDBException {
    try {
      db.syncWal();
    } finally {
      handles.forEach(ColumnFamilyHandle::close);
      try {
        db.closeE();
      } finally {
        closeAll(options);
      }
    }
  }

  private static ColumnFamilyDescriptor descriptor(List<RocksObject> options, byte[] name,
      BlockBasedTableConfig table, long writeBufferSize) {
    ColumnFamilyOptions cf = track(options, new ColumnFamilyOptions()
        .setTableFormatConfig(table)
        .setWriteBufferSize(writeBufferSize)
        // Flushes write level 0, and most records there (messages delivered within seconds) are deleted before a
        // compaction reads them again: compressing them costs CPU on every write for nothing. Compaction output below
        // is compressed (LZ4, the cheapest), where records that stay pending for a long time end up.
        .setCompressionPerLevel(List.of(CompressionType.NO_COMPRESSION, CompressionType.NO_COMPRESSION,
            CompressionType.LZ4_COMPRESSION)));
    return new ColumnFamilyDescriptor(name, cf);
  }

  private static <T extends RocksObject> T track(List<RocksObject> options, T object) {
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
