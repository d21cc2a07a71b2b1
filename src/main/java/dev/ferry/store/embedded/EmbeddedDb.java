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
import org.rocksdb.DBOptions;
import org.rocksdb.Env;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksObject;
import org.rocksdb.SstFileManager;
import org.rocksdb.WALRecoveryMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The message store's RocksDB with one column family per kind of record, and every native object it
 * needs. Opened by {@link EmbeddedStores} (blocking, off the event loop) and closed last, after the
 * writer and readers have stopped. Its writer thread may reopen it in place after a write error
 * ({@link #rocks()}): the accessors below always answer for the instance open now, so callers fetch
 * a handle where they use it and never keep one.
 */
final class EmbeddedDb implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDb.class);
  private static final long MB = 1024 * 1024;

  /** Indexes into the handles, in the order the descriptors are built in {@link #openInstance}. */
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
  private static final int WORKFLOW_RUNS = 11;

  private final ReopenableDb rocks;

  private EmbeddedDb(Path dir, WALRecoveryMode walRecovery, RocksInstance first) {
    // A reopen (after a failed write) skips the checksum pass of a start: the table files were
    // verified when this process opened them and every one written since was written by it;
    // reading them all again would only lengthen the outage.
    this.rocks = new ReopenableDb("the store", first, () -> openInstance(dir, walRecovery, true));
  }

  static EmbeddedDb open(Path dir) throws RocksDBException, IOException {
    // Every acknowledged write was synced, so only a write that was never acknowledged can be torn:
    // an incomplete last record is dropped. A record that is complete but fails its checksum is
    // damage to data that may have been acknowledged, and opening fails. (The default,
    // point-in-time recovery, would instead stop replaying at the first bad record and open
    // without everything after it: silent loss.) A WAL append that failed for lack of space leaves
    // such a torn last record too, and it was never acknowledged either.
    return open(dir, WALRecoveryMode.TolerateCorruptedTailRecords);
  }

  /**
   * Opens with the given WAL recovery mode; {@link StoreRepair} uses {@code
   * SkipAnyCorruptedRecords} to salvage every intact record of a damaged log once, on the
   * operator's explicit request.
   */
  static EmbeddedDb open(Path dir, WALRecoveryMode walRecovery)
      throws RocksDBException, IOException {
    return new EmbeddedDb(dir, walRecovery, openInstance(dir, walRecovery, false));
  }

  private static RocksInstance openInstance(
      Path dir, WALRecoveryMode walRecovery, boolean reopenedAfterFailedWrite)
      throws RocksDBException, IOException {
    boolean verify = !reopenedAfterFailedWrite;
    RocksDB.loadLibrary(); // idempotent; the first call extracts and loads the native library
    Files.createDirectories(dir);
    List<RocksObject> options = new ArrayList<>();
    // Tests open many stores and a single node shares its machine with the gateway: keep caches and
    // memtables small.
    Cache cache = track(options, new LRUCache(16 * MB));
    BloomFilter bloom = track(options, new BloomFilter(10));
    BlockBasedTableConfig pointLookups =
        new BlockBasedTableConfig().setBlockCache(cache).setFilterPolicy(bloom);
    BlockBasedTableConfig scans = new BlockBasedTableConfig().setBlockCache(cache);

    Family family =
        (name, table, writeBufferSize) ->
            descriptor(options, name.getBytes(StandardCharsets.UTF_8), table, writeBufferSize);
    List<ColumnFamilyDescriptor> descriptors =
        List.of(
            family.of(new String(RocksDB.DEFAULT_COLUMN_FAMILY, StandardCharsets.UTF_8), scans, MB),
            // finds, existence checks and multiGets are point lookups: the bloom filter spares most
            // disk reads
            family.of("messages", pointLookups, 32 * MB),
            family.of("due", scans, 8 * MB),
            family.of("queue-positions", scans, 8 * MB),
            family.of("dlq", pointLookups, 8 * MB),
            family.of("queues", scans, MB),
            family.of("url-groups", scans, MB),
            family.of("signing-keys", scans, MB),
            family.of("schedules", scans, MB),
            // dedup records (point lookups on publish) and their expiry index (range scans by the
            // purge) share one CF
            family.of("dedup", pointLookups, 8 * MB),
            family.of("flow-control", scans, MB),
            // a run record and its steps side by side: finds and one short prefix scan per delivery
            family.of("workflow-runs", scans, 4 * MB));
    // With an SstFileManager (RocksDB makes one if none is given), RocksDB recovers by itself from
    // ENOSPC, in a WAL append as in a flush or compaction: it retries every 5 s, but only once the
    // volume has as much free as the largest memtable (32 MB here). WriteRecovery reopens the store
    // when that does not happen. Beware of adding an EventListener with onErrorRecoveryBegin:
    // rocksdbjni 10.10 cannot map some background error reasons (value 5) to its Java enum, the
    // callback throws, and in an experiment RocksDB then never recovered from a failed flush.
    SstFileManager files = track(options, new SstFileManager(Env.getDefault()));
    DBOptions dbOptions =
        track(
            options,
            new DBOptions()
                .setSstFileManager(files)
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setMaxBackgroundJobs(2)
                // the small metadata CFs rarely flush and would pin old WAL files; past this size
                // RocksDB flushes them
                .setMaxTotalWalSize(128 * MB)
                .setKeepLogFileNum(3)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                .setWalRecoveryMode(walRecovery)
                .setParanoidChecks(true));
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    RocksDB db = null;
    try {
      db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
      if (verify) verifyChecksums(db, handles);
      return new RocksInstance(db, handles, options);
    } catch (RocksDBException e) {
      RocksInstance.closeFailedOpen(db, handles, options);
      if (StoreCorruptedException.isCorruption(e)) throw StoreCorruptedException.of(dir, e);
      throw e;
    } catch (RuntimeException e) {
      RocksInstance.closeFailedOpen(db, handles, options);
      throw e;
    }
  }

  /**
   * SST blocks are checked only when read, and a message may sit unread for days: read them all
   * once at start, so damage is refused then rather than found (or not) later. Measured: see
   * docs/operations.md#crash-safety-and-store-damage.
   */
  private static void verifyChecksums(RocksDB db, List<ColumnFamilyHandle> handles)
      throws RocksDBException {
    long started = System.nanoTime();
    db.verifyChecksum();
    long tableBytes = 0;
    for (ColumnFamilyHandle h : handles)
      tableBytes += db.getLongProperty(h, "rocksdb.total-sst-files-size");
    LOG.info(
        "store checksums verified in {} ms ({} MB of table files)",
        (System.nanoTime() - started) / 1_000_000,
        tableBytes / MB);
  }

  /** The instance open now, for the writer's recovery and the readers' lock. */
  ReopenableDb rocks() {
    return rocks;
  }

  RocksDB db() {
    return rocks.live().db();
  }

  /** Store-wide rows: the health probe's, the pending counts ({@link PendingCounts}). */
  ColumnFamilyHandle defaultFamily() {
    return handle(0);
  }

  ColumnFamilyHandle messages() {
    return handle(MESSAGES);
  }

  ColumnFamilyHandle due() {
    return handle(DUE);
  }

  ColumnFamilyHandle queuePositions() {
    return handle(QUEUE_POSITIONS);
  }

  ColumnFamilyHandle dlq() {
    return handle(DLQ);
  }

  ColumnFamilyHandle queues() {
    return handle(QUEUES);
  }

  ColumnFamilyHandle urlGroups() {
    return handle(URL_GROUPS);
  }

  ColumnFamilyHandle signingKeys() {
    return handle(SIGNING_KEYS);
  }

  ColumnFamilyHandle schedules() {
    return handle(SCHEDULES);
  }

  ColumnFamilyHandle dedup() {
    return handle(DEDUP);
  }

  ColumnFamilyHandle flowControl() {
    return handle(FLOW_CONTROL);
  }

  ColumnFamilyHandle workflowRuns() {
    return handle(WORKFLOW_RUNS);
  }

  private ColumnFamilyHandle handle(int index) {
    return rocks.live().handles().get(index);
  }

  /**
   * Syncs the WAL and closes everything. Only call once nothing reads or writes any more; a second
   * call does nothing.
   */
  @Override
  public void close() throws RocksDBException {
    rocks.close();
  }

  /** A column family of this store, with the options every one shares. */
  @FunctionalInterface
  private interface Family {
    ColumnFamilyDescriptor of(String name, BlockBasedTableConfig table, long writeBufferSize);
  }

  private static ColumnFamilyDescriptor descriptor(
      List<RocksObject> options, byte[] name, BlockBasedTableConfig table, long writeBufferSize) {
    ColumnFamilyOptions cf =
        track(
            options,
            new ColumnFamilyOptions()
                .setTableFormatConfig(table)
                .setWriteBufferSize(writeBufferSize)
                .setCompressionPerLevel(LevelCompression.EVERY_LEVEL));
    return new ColumnFamilyDescriptor(name, cf);
  }

  private static <T extends RocksObject> T track(List<RocksObject> options, T object) {
    return RocksInstance.track(options, object);
  }
}
