package dev.ferry.store.embedded;

import dev.ferry.store.StoreMetrics;
import dev.ferry.store.StoreUnavailableException;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only thread that writes to RocksDB. Callers (any thread) enqueue operations; the writer
 * drains everything pending into one {@link Batch}, writes it once, then completes every caller
 * (group commit): N concurrent publishes cost one WAL sync, not N. A batch is synced when any of
 * its operations asks for it, and a failed write fails every operation of that batch. Started and
 * stopped by {@link EmbeddedStores}.
 *
 * <p>It refuses rather than buffers or corrupts: an API write (publish, batch, queue or schedule
 * change) is refused at once with {@link StoreUnavailableException} when {@link
 * WriteLimits#maxPendingWrites} writes already wait, and every write is refused while the volume
 * has less than {@link WriteLimits#minFreeDiskBytes} free (delivery's own writes may use half of
 * that reserve, so attempts can still be recorded). Refusing before the volume is full keeps
 * RocksDB out of its error state; if a write fails anyway (something else filled the volume first),
 * {@link WriteRecovery} brings the store back, in place, once space returns.
 */
final class RocksWriter {
  private static final Logger LOG = LoggerFactory.getLogger(RocksWriter.class);

  /** Bounds one WriteBatch (and the latency of the first caller in it) under a flood of writes. */
  private static final int MAX_OPS_PER_BATCH = 2048;

  /**
   * What one operation adds to a batch; runs on the writer thread and returns the value its caller
   * gets.
   */
  @FunctionalInterface
  interface Step<T> {
    T apply(Batch batch) throws RocksDBException;
  }

  private final EmbeddedDb db;
  private final WriteOptions synced = new WriteOptions().setSync(true);

  /** Still written to the WAL, just not fsynced before the callers hear back. */
  private final WriteOptions walOnly = new WriteOptions().setSync(false);

  private final LinkedBlockingQueue<WriteOp<?>> pending = new LinkedBlockingQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final WriteOp<Void> stop = new WriteOp<>(b -> null, false, false, false);
  private final WriteLimits limits;
  private final DiskSpace disk;
  private final Object submitLock = new Object();
  private final AtomicLong commits = new AtomicLong();
  private final Thread thread;
  private final StoreMetrics listener;
  private final WriteRecovery recovery;
  private boolean closed; // guarded by submitLock
  private boolean diskFull; // writer thread only: logs the change, not every refused batch

  /**
   * {@code disk} is the store's volume: checked against the reserve, and watched to recover after a
   * failed write.
   */
  RocksWriter(EmbeddedDb db, StoreMetrics listener, WriteLimits limits, DiskSpace disk) {
    this.db = db;
    this.listener = listener;
    this.limits = limits;
    this.disk = new SampledDiskSpace(disk, limits.minFreeDiskBytes());
    this.recovery = new WriteRecovery(db.rocks(), disk, limits.minFreeDiskBytes() / 2, synced);
    this.thread = new Thread(this::run, "ferry-store-writer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /**
   * A write whose callers hear back only once it is synced to disk; refused when too many writes
   * wait.
   */
  <T> Future<T> write(Step<T> step) {
    return submit(new WriteOp<>(step, true, false, true));
  }

  /**
   * A write that may complete before its WAL record is fsynced. Only for changes whose loss at
   * power failure is harmless under at-least-once (the message would be delivered again); a process
   * crash alone loses nothing. Delivery's own bookkeeping: never refused for a long queue (attempts
   * in flight bound how many there are).
   */
  <T> Future<T> writeUnsynced(Step<T> step) {
    return submit(new WriteOp<>(step, false, false, false));
  }

  /**
   * As {@link #write}, for delivery's own bookkeeping (a DLQ move): never refused for a long queue.
   */
  <T> Future<T> writeOutcome(Step<T> step) {
    return submit(new WriteOp<>(step, true, false, false));
  }

  /**
   * A synced write in a batch of its own, so it sees the DB with every earlier write committed
   * (e.g. a purge scan).
   */
  <T> Future<T> writeAlone(Step<T> step) {
    return submit(new WriteOp<>(step, true, true, true));
  }

  /** Writes waiting for the writer thread now (metrics). */
  int queued() {
    return queued.get();
  }

  /** Why the store is closed and cannot be reopened in place (liveness); empty while it works. */
  Optional<String> unrecoverable() {
    return recovery.unrecoverable();
  }

  /** Batches committed so far (for tests and metrics). */
  long commits() {
    return commits.get();
  }

  /** Refuses new writes, commits the pending ones and waits for the thread to end. Blocking. */
  void close() throws InterruptedException {
    synchronized (submitLock) {
      if (!closed) {
        closed = true;
        pending.add(stop);
      }
    }
    thread.join();
    synced.close();
    walOnly.close();
  }

  private <T> Future<T> submit(WriteOp<T> op) {
    // The lock makes "closed" and the enqueue one step, so nothing can land behind the stop marker
    // and hang.
    synchronized (submitLock) {
      if (closed) {
        return Future.failedFuture(new IllegalStateException("store is closed"));
      }
      if (op.sheddable && queued.get() >= limits.maxPendingWrites()) {
        return Future.failedFuture(
            new StoreUnavailableException(
                StoreUnavailableException.Reason.WRITE_QUEUE_FULL,
                "the store is overloaded ("
                    + limits.maxPendingWrites()
                    + " writes waiting), retry later"));
      }
      queued.incrementAndGet();
      pending.add(op);
    }
    return op.reply.future();
  }

  private void run() {
    List<WriteOp<?>> ops = new ArrayList<>();
    boolean stopping = false;
    while (!stopping) {
      WriteOp<?> first;
      try {
        // while writes fail, wake at least once a second to look after the store even when nothing
        // is written
        first =
            recovery.failing()
                ? pending.poll(recovery.waitMillis(), TimeUnit.MILLISECONDS)
                : pending.take();
      } catch (InterruptedException e) {
        continue; // only the stop marker ends this thread: pending callers must always hear back
      }
      if (recovery.failing()) recover();
      if (first == null) continue;
      ops.add(first);
      pending.drainTo(ops, MAX_OPS_PER_BATCH - 1);
      queued.addAndGet(-ops.size());
      stopping = ops.remove(stop);
      try {
        refuseWhileDiskIsFull(ops);
        refuseWhileClosed(ops);
        commitAll(ops);
      } catch (Throwable t) {
        LOG.error("store writer failed on a batch of {} operations", ops.size(), t);
        ops.forEach(
            op -> op.reply.fail(t)); // completing twice is a no-op for those already answered
      }
      ops.clear();
    }
  }

  /**
   * Fails (and removes) the operations that must not eat into the disk reserve: API writes below
   * the reserve, every write below half of it. Checked per group commit, on a reading at most 50 ms
   * old while the volume is far above the reserve ({@link SampledDiskSpace}).
   */
  private void refuseWhileDiskIsFull(List<WriteOp<?>> ops) {
    long reserve = limits.minFreeDiskBytes();
    if (reserve <= 0 || ops.isEmpty()) return;
    long free = disk.usableBytes();
    if (free >= reserve) {
      if (diskFull) LOG.info("the store's disk has {} bytes free again: writes are accepted", free);
      diskFull = false;
      return;
    }
    if (!diskFull) {
      LOG.error(
          "the store's disk has {} bytes free, less than the {} kept free: writes are refused until space "
              + "returns",
          free,
          reserve);
    }
    diskFull = true;
    boolean all = free < reserve / 2;
    StoreUnavailableException full =
        new StoreUnavailableException(
            StoreUnavailableException.Reason.DISK_FULL,
            "the store's disk is full ("
                + free
                + " bytes free, "
                + reserve
                + " kept free), retry later");
    int refused = 0;
    for (Iterator<WriteOp<?>> it = ops.iterator(); it.hasNext(); ) {
      WriteOp<?> op = it.next();
      if (all || op.sheddable) {
        op.reply.fail(full);
        it.remove();
        refused++;
      }
    }
    if (refused > 0) listener.refused(refused, full);
  }

  private void recover() {
    try {
      recovery.check();
    } catch (RuntimeException e) {
      LOG.error(
          "looking after the store after a failed write failed",
          e); // never let it end the writer thread
    }
  }

  /**
   * Fails every operation while the store is closed after a failed reopen: nothing may touch its
   * native objects.
   */
  private void refuseWhileClosed(List<WriteOp<?>> ops) {
    if (ops.isEmpty() || db.rocks().isOpen()) return;
    StoreUnavailableException closed = db.rocks().closed();
    ops.forEach(op -> op.reply.fail(closed));
    listener.refused(ops.size(), closed);
    ops.clear();
  }

  /**
   * Applies ops in order; an op that must be alone gets a batch of its own, flushing the one before
   * it.
   */
  private void commitAll(List<WriteOp<?>> ops) throws RocksDBException {
    List<WriteOp<?>> members = new ArrayList<>(ops.size());
    Batch batch = new Batch(db);
    try {
      for (WriteOp<?> op : ops) {
        if (op.alone && !members.isEmpty()) {
          commit(batch, members);
          batch.close();
          batch = new Batch(db);
        }
        if (apply(batch, op)) {
          members.add(op);
        }
        if (op.alone && !members.isEmpty()) {
          commit(batch, members);
          batch.close();
          batch = new Batch(db);
        }
      }
      if (!members.isEmpty()) {
        commit(batch, members);
      }
    } finally {
      batch.close();
    }
  }

  private boolean apply(Batch batch, WriteOp<?> op) throws RocksDBException {
    batch.beginOp();
    try {
      op.result = op.step.apply(batch);
      batch.endOp();
      return true;
    } catch (Exception e) {
      batch.abortOp();
      LOG.warn("store write refused: {}", e.toString());
      op.reply.fail(e);
      return false;
    }
  }

  /**
   * Writes the batch once, publishes its in-memory effects, answers its callers; empties {@code
   * members}.
   */
  private void commit(Batch batch, List<WriteOp<?>> members) {
    boolean sync = false;
    for (WriteOp<?> op : members) {
      sync |= op.sync;
    }
    try {
      batch.writePendingCounts();
      if (batch.hasWrites()) {
        long started = System.nanoTime();
        db.db().write(sync ? synced : walOnly, batch.writes());
        listener.committed(members.size(), System.nanoTime() - started, sync);
        commits.incrementAndGet();
        recovery.succeeded();
      }
    } catch (RocksDBException e) {
      // logs the first failure, and looks after the store until writes succeed again
      recovery.failed(e);
      listener.commitFailed(members.size(), e);
      StoreUnavailableException failed =
          new StoreUnavailableException(
              StoreUnavailableException.Reason.WRITE_FAILED,
              "the store could not write (" + e.getMessage() + "), retry later");
      members.forEach(op -> op.reply.fail(failed));
      members.clear();
      return;
    }
    for (Runnable hook : batch.commitHooks()) {
      try {
        hook.run();
      } catch (RuntimeException e) {
        LOG.error(
            "in-memory update after a committed write failed",
            e); // durable anyway: answer the callers
      }
    }
    WriteOp.answer(members);
    members.clear();
  }
}
