package dev.ferry.store.embedded;

import dev.ferry.model.LogRecord;
import dev.ferry.model.Message;
import dev.ferry.store.LogStore;
import dev.ferry.store.MessageStore;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.RocksObject;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LogStore} on a RocksDB instance of its own ({@code <dataDir>/logs}), apart from the message store so that
 * logging never shares the publish path's synced group commit. Callers (event loops) only hand records to a bounded
 * in-memory queue; one writer thread ({@link LogWriter}) drains it into large WAL-only batches (written to the WAL,
 * never fsynced: a power cut may lose the last few milliseconds of entries, a process crash loses nothing the writer
 * had written). When the queue is full, records are dropped and counted instead of blocking the caller.
 *
 * <p>Each entry is small (state, id, error, response): a CREATED entry costs the publish path about 40 bytes. The
 * message's descriptive fields are joined at read time: from the message store while the message is pending, and
 * from a snapshot (the {@link MessageCodec} record) that the log writes once per message when it leaves the message
 * store (its DELIVERED, FAILED or CANCELED entry carries it). Reads and retention run on a reader thread of their
 * own.
 */
public final class EmbeddedLogStore implements LogStore {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedLogStore.class);
  private static final long MB = 1024 * 1024;
  /** Approximate bytes the queue of the log writer may pin (bodies of created messages, response bodies). */
  static final long MAX_QUEUED_BYTES = 256 * MB;
  /** How much of an ERROR entry's response body a log entry keeps (the DLQ keeps the full capture). */
  static final int MAX_LOGGED_BODY = 8 * 1024;

  private final RocksDB db;
  private final ColumnFamilyHandle events;
  private final ColumnFamilyHandle snapshots;
  private final List<ColumnFamilyHandle> handles;
  private final List<RocksObject> options;
  private final WriteOptions walOnly = new WriteOptions().setSync(false);
  private final MessageStore pending;
  private final ExecutorService reader;
  private final LogWriter writer;
  private Future<Void> closed;

  private EmbeddedLogStore(RocksDB db, List<ColumnFamilyHandle> handles, List<RocksObject> options,
                           LongSupplier clock, MessageStore pending) throws RocksDBException {
    this.db = db;
    this.handles = handles;
    this.events = handles.get(1);
    this.snapshots = handles.get(2);
    this.options = options;
    this.pending = pending;
    this.reader = Executors.newSingleThreadExecutor(r -> daemon(r, "ferry-logs-reader"));
    this.writer = new LogWriter(db, events, snapshots, walOnly, clock, lastPosition());
  }

  /**
   * Opens (creating if missing) the log store in {@code dir}; blocking work runs on a thread of its own.
   * {@code pending} is where the descriptive fields of messages that are still pending are read from.
   */
  public static Future<EmbeddedLogStore> open(Path dir, LongSupplier clock, MessageStore pending) {
    return open(dir, clock, pending, 0);
  }

  /**
   * As {@link #open(Path, LongSupplier, MessageStore)}; entries are dropped (and counted) instead of written while
   * the volume has less than half of {@code minFreeDiskBytes} free, so the log never fills the disk to ENOSPC (a
   * RocksDB that hits it while appending to its WAL stays broken until reopened).
   */
  public static Future<EmbeddedLogStore> open(Path dir, LongSupplier clock, MessageStore pending,
                                              long minFreeDiskBytes) {
    return open(dir, clock, pending, minFreeDiskBytes, MAX_QUEUED_BYTES);
  }

  /**
   * As {@link #open(Path, LongSupplier, MessageStore, long)}, with the entries waiting for the log writer pinning at
   * most {@code maxQueuedBytes} (message bodies of terminal entries included); beyond, entries are dropped and counted.
   */
  public static Future<EmbeddedLogStore> open(Path dir, LongSupplier clock, MessageStore pending,
                                              long minFreeDiskBytes, long maxQueuedBytes) {
    Reply<EmbeddedLogStore> reply = new Reply<>();
    daemon(() -> {
      try {
        EmbeddedLogStore store = openBlocking(dir, clock, pending);
        store.writer.limit(minFreeDiskBytes > 0 ? DiskSpace.of(dir) : DiskSpace.UNLIMITED, minFreeDiskBytes / 2,
            Math.min(MAX_QUEUED_BYTES, maxQueuedBytes));
        reply.succeed(store);
      } catch (Throwable t) {
        LOG.error("cannot open the log store in {}", dir, t);
        reply.fail(t);
      }
    }, "ferry-logs-open").start();
    return reply.future();
  }

  private static EmbeddedLogStore openBlocking(Path dir, LongSupplier clock, MessageStore pending)
      throws RocksDBException, IOException {
    RocksDB.loadLibrary();
    Files.createDirectories(dir);
    List<RocksObject> options = new ArrayList<>();
    Cache cache = track(options, new LRUCache(8 * MB));
    BloomFilter bloom = track(options, new BloomFilter(10));
    List<ColumnFamilyDescriptor> descriptors = List.of(
        new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, track(options, new ColumnFamilyOptions())),
        new ColumnFamilyDescriptor("events".getBytes(StandardCharsets.UTF_8), track(options, new ColumnFamilyOptions()
            .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache))
            .setWriteBufferSize(16 * MB))),
        new ColumnFamilyDescriptor("snapshots".getBytes(StandardCharsets.UTF_8), track(options, new ColumnFamilyOptions()
            .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache).setFilterPolicy(bloom))
            .setWriteBufferSize(32 * MB))));
    DBOptions dbOptions = track(options, new DBOptions()
        .setCreateIfMissing(true)
        .setCreateMissingColumnFamilies(true)
        .setMaxBackgroundJobs(1)
        .setMaxTotalWalSize(64 * MB)
        .setKeepLogFileNum(2)
        .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
        // unlike the message store, this WAL is never synced (log entries are not acknowledged to anyone): after a
        // power cut its tail may be damaged beyond a torn record, and replaying up to the damage is the right answer
        .setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery));
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    RocksDB db = null;
    try {
      db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
      return new EmbeddedLogStore(db, handles, options, clock, pending);
    } catch (RocksDBException | RuntimeException e) {
      handles.forEach(ColumnFamilyHandle::close);
      if (db != null) db.close();
      for (int i = options.size() - 1; i >= 0; i--) options.get(i).close();
      throw e;
    }
  }

  @Override
  public void created(List<Message> messages) {
    if (messages.isEmpty()) return;
    writer.offer(List.copyOf(messages), null, messages.size(), 64L * messages.size());
  }

  @Override
  public void record(LogRecord record) {
    writer.offer(null, List.of(record), 1, bytesOf(record));
  }

  @Override
  public void recordAll(List<LogRecord> records) {
    if (records.isEmpty()) return;
    long bytes = 0;
    for (LogRecord r : records) bytes += bytesOf(r);
    writer.offer(null, List.copyOf(records), records.size(), bytes);
  }

  @Override
  public long dropped() {
    return writer.dropped();
  }

  private static long bytesOf(LogRecord r) {
    long bytes = 128;
    if (r.response() != null) bytes += Math.min(r.response().body().length, MAX_LOGGED_BODY);
    if (r.state().terminal() && r.message() != null) bytes += r.message().body().length;
    return bytes;
  }

  @Override
  public Future<Page> query(String tenant, Query q) {
    return read(() -> new LogQuery(db, events, snapshots, pending, tenant, q).run());
  }

  /**
   * Per tenant: scans rows older than the cutoff until about {@code limit} entries, deletes the snapshots of messages whose
   * final entry (DELIVERED, FAILED, CANCELED) is among them, then drops the scanned range with one range delete.
   */
  @Override
  public Future<Integer> expire(long beforeMillis, int limit) {
    return read(() -> {
      long cutoff = beforeMillis << 16;
      int deleted = 0;
      for (byte[] prefix : tenantPrefixes()) {
        if (deleted >= limit) break;
        try (RocksIterator it = db.newIterator(events); WriteBatch batch = new WriteBatch()) {
          long last = -1;
          int n = 0;
          for (it.seek(prefix); it.isValid() && Keys.startsWith(it.key(), prefix) && deleted + n < limit; it.next()) {
            long position = LogCodec.positionOf(it.key(), prefix.length);
            if (position >= cutoff) break;
            byte[] value = it.value();
            if (LogCodec.stateOf(value).terminal()) {
              batch.delete(snapshots, Keys.message(LogCodec.decode(value, 0).messageId()));
            }
            last = position;
            n += LogCodec.countOf(value);
          }
          it.status();
          if (n > 0) {
            batch.deleteRange(events, prefix, LogCodec.key(prefix, last + 1));
            db.write(walOnly, batch);
            deleted += n;
          }
        }
      }
      return deleted;
    });
  }

  /** Every tenant that has entries, found by skipping from one tenant's range to the next. */
  private List<byte[]> tenantPrefixes() {
    List<byte[]> prefixes = new ArrayList<>();
    try (RocksIterator it = db.newIterator(events)) {
      for (it.seekToFirst(); it.isValid(); ) {
        byte[] prefix = LogCodec.prefixOf(it.key());
        prefixes.add(prefix);
        it.seek(LogCodec.prefixEnd(prefix));
      }
    }
    return prefixes;
  }

  /** The highest position stored, so positions keep increasing across restarts even if the clock stepped back. */
  private long lastPosition() {
    long max = 0;
    for (byte[] prefix : tenantPrefixes()) {
      try (RocksIterator it = db.newIterator(events)) {
        it.seekForPrev(LogCodec.key(prefix, Long.MAX_VALUE));
        if (it.isValid() && Keys.startsWith(it.key(), prefix)) {
          max = Math.max(max, LogCodec.positionOf(it.key(), prefix.length) + LogCodec.countOf(it.value()) - 1);
        }
      }
    }
    return max;
  }

  private <T> Future<T> read(RocksReaders.Read<T> read) {
    Reply<T> reply = new Reply<>();
    try {
      reader.execute(() -> {
        try {
          reply.succeed(read.run());
        } catch (Throwable t) {
          reply.fail(t);
        }
      });
    } catch (RejectedExecutionException e) {
      return Future.failedFuture(new IllegalStateException("log store is closed"));
    }
    return reply.future();
  }

  /** Refuses new records, writes the queued ones, waits for reads, then closes the DB. Same future on every call. */
  @Override
  public synchronized Future<Void> close() {
    if (closed != null) return closed;
    writer.closing();
    Reply<Void> reply = new Reply<>();
    closed = reply.future();
    daemon(() -> {
      try {
        writer.awaitDrained();
        reader.shutdown();
        while (!reader.awaitTermination(10, TimeUnit.SECONDS)) {
          LOG.warn("log store close still waiting for a read to finish");
        }
        try {
          db.syncWal();
        } finally {
          walOnly.close();
          handles.forEach(ColumnFamilyHandle::close);
          db.closeE();
          for (int i = options.size() - 1; i >= 0; i--) options.get(i).close();
        }
        reply.succeed(null);
      } catch (Throwable t) {
        LOG.error("closing the log store failed", t);
        reply.fail(t);
      }
    }, "ferry-logs-close").start();
    return closed;
  }

  private static <T extends RocksObject> T track(List<RocksObject> options, T object) {
    options.add(object);
    return object;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
