package dev.ferry.store.embedded;

import dev.ferry.model.LogRecord;
import dev.ferry.model.Message;
import dev.ferry.store.CreatedEntry;
import dev.ferry.store.LogStore;
import dev.ferry.store.MessageStore;
import dev.ferry.store.codec.LogCodec;
import dev.ferry.store.codec.MessageCodec;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LogStore} on a RocksDB instance of its own ({@code <dataDir>/logs}), apart from the
 * message store so that logging never shares the publish path's synced group commit. Callers (event
 * loops) only hand records to a bounded in-memory queue; one writer thread ({@link LogWriter})
 * drains it into large WAL-only batches (written to the WAL, never fsynced: a power cut may lose
 * the last few milliseconds of entries, a process crash loses nothing the writer had written). When
 * the queue is full, records are dropped and counted instead of blocking the caller.
 *
 * <p>Each entry is small (state, id, error, response): a CREATED entry costs the publish path about
 * 40 bytes. The message's descriptive fields are joined at read time: from the message store while
 * the message is pending, and from a snapshot (the {@link MessageCodec} record) that the log writes
 * once per message when it leaves the message store (its DELIVERED, FAILED or CANCELED entry
 * carries it). Reads and retention run on a reader thread of their own.
 */
public final class EmbeddedLogStore implements LogStore {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedLogStore.class);
  private static final long MB = 1024 * 1024;

  /**
   * Approximate bytes the queue of the log writer may pin (bodies of created messages, response
   * bodies).
   */
  static final long MAX_QUEUED_BYTES = 256 * MB;

  /**
   * How much of an ERROR entry's response body a log entry keeps (the DLQ keeps the full capture).
   */
  static final int MAX_LOGGED_BODY = 8 * 1024;

  private final LogDb db;
  private final WriteOptions walOnly = new WriteOptions().setSync(false);
  private final MessageStore pending;
  private final RocksReaders reader;
  private final LogWriter writer;
  private Future<Void> closed;

  private EmbeddedLogStore(
      LogDb db,
      LongSupplier clock,
      MessageStore pending,
      DiskSpace disk,
      long diskFloor,
      long maxQueuedBytes) {
    this.db = db;
    this.pending = pending;
    this.reader = new RocksReaders(1, db.rocks(), "ferry-logs-reader");
    this.writer =
        new LogWriter(db, walOnly, clock, lastPosition(), disk, diskFloor, maxQueuedBytes);
  }

  /**
   * Opens (creating if missing) the log store in {@code dir}; blocking work runs on a thread of its
   * own. {@code pending} is where the descriptive fields of messages that are still pending are
   * read from.
   */
  public static Future<EmbeddedLogStore> open(Path dir, LongSupplier clock, MessageStore pending) {
    return open(dir, clock, pending, 0);
  }

  /**
   * As {@link #open(Path, LongSupplier, MessageStore)}; entries are dropped (and counted) instead
   * of written while the volume has less than half of {@code minFreeDiskBytes} free, so the log
   * does not fill the disk to ENOSPC (after which its DB refuses writes until it recovers: see
   * {@link WriteRecovery}).
   */
  public static Future<EmbeddedLogStore> open(
      Path dir, LongSupplier clock, MessageStore pending, long minFreeDiskBytes) {
    return open(dir, clock, pending, minFreeDiskBytes, MAX_QUEUED_BYTES);
  }

  /**
   * As {@link #open(Path, LongSupplier, MessageStore, long)}, with the entries waiting for the log
   * writer pinning at most {@code maxQueuedBytes} (message bodies of terminal entries included);
   * beyond, entries are dropped and counted.
   */
  public static Future<EmbeddedLogStore> open(
      Path dir,
      LongSupplier clock,
      MessageStore pending,
      long minFreeDiskBytes,
      long maxQueuedBytes) {
    Reply<EmbeddedLogStore> reply = new Reply<>();
    daemon(
            () -> {
              LogDb db = null;
              try {
                db = LogDb.open(dir);
                reply.succeed(
                    new EmbeddedLogStore(
                        db,
                        clock,
                        pending,
                        DiskSpace.of(dir),
                        minFreeDiskBytes / 2,
                        Math.min(MAX_QUEUED_BYTES, maxQueuedBytes)));
              } catch (Throwable t) {
                LOG.error("cannot open the log store in {}", dir, t);
                closeQuietly(db);
                reply.fail(t);
              }
            },
            "ferry-logs-open")
        .start();
    return reply.future();
  }

  @Override
  public void created(List<Message> messages) {
    if (messages.isEmpty()) return;
    writer.offer(CreatedEntry.of(messages), null, messages.size(), 64L * messages.size());
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

  @Override
  public Optional<String> unrecoverable() {
    return writer.unrecoverable();
  }

  private static long bytesOf(LogRecord r) {
    long bytes = 128;
    if (r.response() != null) bytes += Math.min(r.response().body().length, MAX_LOGGED_BODY);
    if (r.state().terminal() && r.message() != null) bytes += r.message().body().length;
    return bytes;
  }

  @Override
  public Future<Page> query(String tenant, Query q) {
    return reader.read(
        () -> new LogQuery(db.db(), db.events(), db.snapshots(), pending, tenant, q).run());
  }

  /**
   * Per tenant: scans rows older than the cutoff until about {@code limit} entries, deletes the
   * snapshots of messages whose final entry (DELIVERED, FAILED, CANCELED) is among them, then drops
   * the scanned range with one range delete.
   */
  @Override
  public Future<Integer> expire(long beforeMillis, int limit) {
    return reader.read(
        () -> {
          long cutoff = beforeMillis << 16;
          int deleted = 0;
          for (byte[] prefix : tenantPrefixes()) {
            if (deleted >= limit) break;
            try (RocksIterator it = db.db().newIterator(db.events());
                WriteBatch batch = new WriteBatch()) {
              long last = -1;
              int n = 0;
              for (it.seek(prefix);
                  it.isValid() && Keys.startsWith(it.key(), prefix) && deleted + n < limit;
                  it.next()) {
                long position = LogCodec.positionOf(it.key(), prefix.length);
                if (position >= cutoff) break;
                byte[] value = it.value();
                if (LogCodec.stateOf(value).terminal()) {
                  batch.delete(db.snapshots(), Keys.message(LogCodec.decode(value, 0).messageId()));
                }
                last = position;
                n += LogCodec.countOf(value);
              }
              it.status();
              if (n > 0) {
                batch.deleteRange(db.events(), prefix, LogCodec.key(prefix, last + 1));
                db.db().write(walOnly, batch);
                deleted += n;
              }
            }
          }
          return deleted;
        });
  }

  /**
   * Every tenant that has entries, found by skipping from one tenant's range to the next (at open,
   * or in a read).
   */
  private List<byte[]> tenantPrefixes() {
    List<byte[]> prefixes = new ArrayList<>();
    try (RocksIterator it = db.db().newIterator(db.events())) {
      for (it.seekToFirst(); it.isValid(); ) {
        byte[] prefix = LogCodec.prefixOf(it.key());
        prefixes.add(prefix);
        it.seek(LogCodec.prefixEnd(prefix));
      }
    }
    return prefixes;
  }

  /**
   * The highest position stored, so positions keep increasing across restarts even if the clock
   * stepped back.
   */
  private long lastPosition() {
    long max = 0;
    for (byte[] prefix : tenantPrefixes()) {
      try (RocksIterator it = db.db().newIterator(db.events())) {
        it.seekForPrev(LogCodec.key(prefix, Long.MAX_VALUE));
        if (it.isValid() && Keys.startsWith(it.key(), prefix)) {
          max =
              Math.max(
                  max,
                  LogCodec.positionOf(it.key(), prefix.length) + LogCodec.countOf(it.value()) - 1);
        }
      }
    }
    return max;
  }

  /**
   * Refuses new records, writes the queued ones, waits for reads, then closes the DB. Same future
   * on every call.
   */
  @Override
  public synchronized Future<Void> close() {
    if (closed != null) return closed;
    writer.closing();
    Reply<Void> reply = new Reply<>();
    closed = reply.future();
    daemon(
            () -> {
              try {
                writer.awaitDrained();
                reader.close();
                try {
                  db.close();
                } finally {
                  walOnly.close();
                }
                reply.succeed(null);
              } catch (Throwable t) {
                LOG.error("closing the log store failed", t);
                reply.fail(t);
              }
            },
            "ferry-logs-close")
        .start();
    return closed;
  }

  private static void closeQuietly(LogDb db) {
    if (db == null) return;
    try {
      db.close();
    } catch (Exception e) {
      LOG.warn("closing a half-opened log store failed: {}", e.toString());
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
