package dev.ferry.store.embedded;

import dev.ferry.store.DlqStore;
import dev.ferry.store.FlowControlStore;
import dev.ferry.store.MessageStore;
import dev.ferry.store.QueueStore;
import dev.ferry.store.ScheduleStore;
import dev.ferry.store.SigningKeyStore;
import dev.ferry.store.StoreMetrics;
import dev.ferry.store.Stores;
import dev.ferry.store.UrlGroupStore;
import dev.ferry.store.WorkflowRunStore;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded (single-node) backend: every store on one RocksDB in {@code dataDir}, sharing one
 * writer thread (group commit) and a small reader pool. Built by {@code StoreBackends} through
 * {@link #open}; closed once at shutdown.
 */
public final class EmbeddedStores implements Stores {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStores.class);
  private static final int READER_THREADS = 2;

  private final EmbeddedDb db;
  private final RocksWriter writer;
  private final RocksReaders readers;
  private final EmbeddedMessageStore messages;
  private final EmbeddedDlqStore dlq;
  private final EmbeddedQueueStore queues;
  private final EmbeddedUrlGroupStore urlGroups;
  private final EmbeddedSigningKeyStore signingKeys;
  private final EmbeddedScheduleStore schedules;
  private final EmbeddedFlowControlStore flowControl;
  private final EmbeddedWorkflowRunStore workflowRuns;
  private final AtomicReference<Future<Void>> closing = new AtomicReference<>();

  private EmbeddedStores(EmbeddedDb db, StoreMetrics listener, WriteLimits limits, DiskSpace disk)
      throws InterruptedException, RocksDBException {
    this.db = db;
    // metadata and queue lengths are loaded before the writer starts: nothing can change them yet
    QueueCounters counters = QueueCounters.load(db.db(), db.queuePositions());
    PendingCounts pending = PendingCounts.load(db);
    RedundantDueRows.dropOnce(db);
    this.writer = new RocksWriter(db, listener, limits, disk);
    this.readers = new RocksReaders(READER_THREADS, db.rocks(), "ferry-store-reader");
    try {
      this.messages = new EmbeddedMessageStore(db, writer, readers, counters, pending);
      this.dlq = new EmbeddedDlqStore(db, writer, readers);
      this.queues = new EmbeddedQueueStore(db, writer);
      this.urlGroups = new EmbeddedUrlGroupStore(db, writer);
      this.signingKeys = new EmbeddedSigningKeyStore(db, writer);
      this.schedules = new EmbeddedScheduleStore(db, writer, messages);
      this.flowControl = new EmbeddedFlowControlStore(db, writer);
      this.workflowRuns = new EmbeddedWorkflowRunStore(db, writer, readers, messages);
    } catch (RuntimeException e) {
      stopThreads(); // e.g. a metadata record that does not decode: the caller closes the DB
      throw e;
    }
  }

  /**
   * Opens (creating if missing) the store in {@code dataDir}, recovering from the WAL whatever was
   * synced before. Opening blocks on disk, so it runs on a thread of its own; the future completes
   * on the caller's context.
   */
  public static Future<EmbeddedStores> open(Path dataDir) {
    return open(dataDir, StoreMetrics.NONE);
  }

  /** As {@link #open(Path)}, telling {@code listener} about every group commit (metrics). */
  public static Future<EmbeddedStores> open(Path dataDir, StoreMetrics listener) {
    return open(dataDir, listener, WriteLimits.NONE);
  }

  /**
   * As {@link #open(Path, StoreMetrics)}, refusing writes beyond {@code limits} (overload, a nearly
   * full disk).
   */
  public static Future<EmbeddedStores> open(
      Path dataDir, StoreMetrics listener, WriteLimits limits) {
    Reply<EmbeddedStores> reply = new Reply<>();
    Thread opener =
        new Thread(
            () -> {
              EmbeddedDb db = null;
              try {
                db = EmbeddedDb.open(dataDir);
                reply.succeed(new EmbeddedStores(db, listener, limits, DiskSpace.of(dataDir)));
              } catch (Throwable t) {
                // a damaged store is explained once, by Main, without a stack trace
                if (!(t instanceof StoreCorruptedException))
                  LOG.error("cannot open the embedded store in {}", dataDir, t);
                closeQuietly(db);
                reply.fail(t);
              }
            },
            "ferry-store-open");
    opener.setDaemon(true);
    opener.start();
    return reply.future();
  }

  @Override
  public MessageStore messages() {
    return messages;
  }

  @Override
  public DlqStore dlq() {
    return dlq;
  }

  @Override
  public FlowControlStore flowControl() {
    return flowControl;
  }

  @Override
  public WorkflowRunStore workflowRuns() {
    return workflowRuns;
  }

  @Override
  public QueueStore queues() {
    return queues;
  }

  @Override
  public UrlGroupStore urlGroups() {
    return urlGroups;
  }

  @Override
  public SigningKeyStore signingKeys() {
    return signingKeys;
  }

  @Override
  public ScheduleStore schedules() {
    return schedules;
  }

  @Override
  public Future<Void> probeWrite() {
    byte[] now = Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.US_ASCII);
    return writer.write(
        batch -> {
          batch
              .writes()
              .put(
                  ReopenableDb.PROBE_KEY,
                  now); // default column family: no record of Ferry's lives there
          return null;
        });
  }

  /**
   * Refuses new writes and reads, commits the pending writes, waits for running reads, then syncs
   * the WAL and closes the DB. Blocking work, so it runs on a thread of its own. Calling it again
   * returns the same future.
   */
  @Override
  public Future<Void> close() {
    Reply<Void> reply = new Reply<>();
    if (!closing.compareAndSet(null, reply.future())) {
      return closing.get();
    }
    Thread closer =
        new Thread(
            () -> {
              try {
                stopThreads();
                db.close();
                reply.succeed(null);
              } catch (Throwable t) {
                LOG.error("closing the embedded store failed", t);
                reply.fail(t);
              }
            },
            "ferry-store-close");
    closer.setDaemon(true);
    closer.start();
    return reply.future();
  }

  @Override
  public Optional<String> unrecoverable() {
    return writer.unrecoverable();
  }

  /** Writes waiting for the writer thread now (overload metrics). */
  @Override
  public OptionalInt pendingWrites() {
    return OptionalInt.of(writer.queued());
  }

  /** Group commits so far (tests check that concurrent writes share them). */
  long commits() {
    return writer.commits();
  }

  private void stopThreads() throws InterruptedException {
    writer.close();
    readers.close();
  }

  private static void closeQuietly(EmbeddedDb db) {
    if (db == null) {
      return;
    }
    try {
      db.close();
    } catch (Exception e) {
      LOG.warn("closing a half-opened store failed: {}", e.toString());
    }
  }
}
