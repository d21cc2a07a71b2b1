package dev.ferry.store.embedded;

import dev.ferry.model.LogRecord;
import dev.ferry.store.CreatedEntry;
import dev.ferry.store.codec.LogCodec;
import dev.ferry.store.codec.MessageCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write side of {@link EmbeddedLogStore}: callers (event loops) hand records to a bounded
 * queue, which assigns their positions; one thread drains it into large WAL-only batches. When the
 * queue holds too many items or bytes, or the disk is below its floor, entries are dropped and
 * counted instead of blocking anyone. After a failed write the same thread brings the DB back
 * ({@link WriteRecovery}); entries are dropped meanwhile.
 */
final class LogWriter {
  private static final Logger LOG = LoggerFactory.getLogger(LogWriter.class);

  /** Queue items (one per record call; a CREATED call of a batch is one item). */
  private static final int MAX_QUEUED_ITEMS = 65_536;

  private static final int MAX_ITEMS_PER_BATCH = 1024;

  /**
   * After writing a batch smaller than this, the writer rests {@link #LINGER_NANOS} before draining
   * again, so entries that trickle in one by one (single publishes, deliveries) are written a batch
   * at a time instead of each waking the thread and paying for a RocksDB write of its own. Entries
   * become readable that much later; nobody waits on them.
   */
  private static final int LINGER_BELOW_ITEMS = 256;

  private static final long LINGER_NANOS = 1_000_000;

  private final LogDb db;
  private final WriteOptions walOnly;
  private final LongSupplier clock;
  private final ArrayBlockingQueue<Item> queue = new ArrayBlockingQueue<>(MAX_QUEUED_ITEMS);
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final DiskSpace disk;

  /** A small heap cannot pin the default bytes of bodies. */
  private final long maxQueuedBytes;

  private final long diskFloor;
  private final WriteRecovery recovery;
  private boolean diskFull; // writer thread only
  private final Object assign = new Object();
  private long lastPosition; // guarded by assign
  private volatile boolean closing;
  private final Thread thread;

  /** One record call: its records get positions {@code first}, {@code first + 1}, … in order. */
  private record Item(long first, List<CreatedEntry> created, List<LogRecord> records, long bytes) {
    int size() {
      return created != null ? created.size() : records.size();
    }
  }

  /**
   * Starts the writer thread; positions continue after {@code lastPosition}, the last one stored.
   * Entries are dropped while {@code disk} has less than {@code diskFloor} free (0 = no floor) or
   * more than {@code maxQueuedBytes} wait.
   */
  LogWriter(
      LogDb db,
      WriteOptions walOnly,
      LongSupplier clock,
      long lastPosition,
      DiskSpace disk,
      long diskFloor,
      long maxQueuedBytes) {
    this.db = db;
    this.walOnly = walOnly;
    this.clock = clock;
    this.lastPosition = lastPosition;
    this.disk = new SampledDiskSpace(disk, diskFloor);
    this.diskFloor = diskFloor;
    this.maxQueuedBytes = maxQueuedBytes;
    this.recovery = new WriteRecovery(db.rocks(), disk, diskFloor, walOnly);
    this.thread = new Thread(this::run, "ferry-logs-writer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /**
   * Why the log's DB is closed and cannot be reopened in place (liveness); empty while it works.
   */
  Optional<String> unrecoverable() {
    return recovery.unrecoverable();
  }

  long dropped() {
    return dropped.get();
  }

  /** From now on records are dropped (counted); the thread ends once the queue is written. */
  void closing() {
    closing = true;
  }

  /** Waits until everything queued before {@link #closing} is written. Blocking. */
  void awaitDrained() throws InterruptedException {
    thread.join();
  }

  /**
   * Positions are assigned and the item queued under one lock, so queue order is position order and
   * the writer commits positions in increasing order: a reader never sees a position appear behind
   * one it has already seen, which is what keeps cursors correct while entries are being written.
   */
  void offer(List<CreatedEntry> created, List<LogRecord> records, int n, long bytes) {
    if (closing) {
      dropped.addAndGet(n); // shutting down: attempts still finishing are not worth a warning
      return;
    }
    if (queuedBytes.get() + bytes > maxQueuedBytes) {
      drop(n);
      return;
    }
    synchronized (assign) {
      long first = Math.max(lastPosition + 1, clock.getAsLong() << 16);
      if (!queue.offer(new Item(first, created, records, bytes))) {
        drop(n);
        return;
      }
      lastPosition = first + n - 1;
    }
    queuedBytes.addAndGet(bytes);
  }

  private void drop(int n) {
    long before = dropped.getAndAdd(n);
    // one line per 2^16 drops: visible in the process log without flooding it
    if (before >>> 16 != (before + n) >>> 16 || before == 0) {
      LOG.warn(
          "log store overloaded: {} log entries dropped so far (publishing and delivery are not slowed)",
          before + n);
    }
  }

  private void run() {
    List<Item> items = new ArrayList<>();
    Map<String, byte[]> prefixes = new HashMap<>();
    while (true) {
      if (recovery.failing()) recover();
      try {
        Item first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closing && queue.isEmpty()) return;
          continue;
        }
        items.add(first);
      } catch (InterruptedException e) {
        continue; // only closing ends this thread, after the queue is drained
      }
      queue.drainTo(items, MAX_ITEMS_PER_BATCH - 1);
      write(items, prefixes);
      boolean small = items.size() < LINGER_BELOW_ITEMS;
      items.clear();
      if (small && !closing) LockSupport.parkNanos(LINGER_NANOS);
    }
  }

  private void recover() {
    try {
      recovery.check(); // at most once a second
    } catch (RuntimeException e) {
      LOG.error(
          "looking after the log store after a failed write failed",
          e); // never let it end the writer thread
    }
  }

  /**
   * Drops {@code items} (counted) while the disk is below the floor; logs when that starts and
   * ends.
   */
  private boolean refusedForDisk(List<Item> items) {
    long free = disk.usableBytes();
    boolean full = free < diskFloor;
    if (full != diskFull) {
      if (full)
        LOG.error(
            "log store: only {} bytes free on its disk; log entries are dropped until space returns",
            free);
      else LOG.info("log store: {} bytes free on its disk again; log entries are written", free);
      diskFull = full;
    }
    if (!full) return false;
    dropAll(items);
    return true;
  }

  private void dropAll(List<Item> items) {
    long bytes = 0;
    int n = 0;
    for (Item item : items) {
      bytes += item.bytes();
      n += item.size();
    }
    dropped.addAndGet(n);
    queuedBytes.addAndGet(-bytes);
  }

  private void write(List<Item> items, Map<String, byte[]> prefixes) {
    if (diskFloor > 0 && refusedForDisk(items)) return;
    // closed after a reopen that failed: nothing may touch its native objects
    if (!db.rocks().isOpen()) {
      dropAll(items);
      return;
    }
    long bytes = 0;
    int n = 0;
    ColumnFamilyHandle events = db.events();
    ColumnFamilyHandle snapshots = db.snapshots();
    try (WriteBatch batch = new WriteBatch()) {
      CreatedRows row = new CreatedRows(batch, events, prefixes);
      for (Item item : items) {
        bytes += item.bytes();
        n += item.size();
        long position = item.first();
        if (item.created() != null) {
          for (CreatedEntry c : item.created()) row.add(c.tenant(), position++, c.messageId());
        } else {
          row.flush();
          for (LogRecord r : item.records()) {
            byte[] prefix = prefixes.computeIfAbsent(r.tenant(), Keys::tenantPrefix);
            batch.put(
                events,
                LogCodec.key(prefix, position++),
                LogCodec.encode(r, EmbeddedLogStore.MAX_LOGGED_BODY));
            if (r.state().terminal() && r.message() != null) {
              // the message leaves the message store now: from here on, the log's own copy
              // describes it
              batch.put(snapshots, Keys.message(r.messageId()), MessageCodec.encode(r.message()));
            }
          }
        }
      }
      row.flush();
      db.db().write(walOnly, batch);
      recovery.succeeded();
    } catch (RocksDBException e) {
      // logs the first failure, and looks after the DB until writes succeed again
      recovery.failed(e);
      dropped.addAndGet(n);
    } catch (RuntimeException e) {
      LOG.error("log store write of {} entries failed; they are lost", n, e);
      dropped.addAndGet(n);
    } finally {
      queuedBytes.addAndGet(-bytes);
    }
  }
}
