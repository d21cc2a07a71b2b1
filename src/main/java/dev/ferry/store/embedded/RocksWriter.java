package dev.ferry.store.embedded;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only thread that writes to RocksDB. Callers (any thread) enqueue operations; the writer drains everything
 * pending into one {@link Batch}, writes it once, then completes every caller (group commit): N concurrent publishes
 * cost one WAL sync, not N. A batch is synced when any of its operations asks for it, and a failed write fails every
 * operation of that batch. Started and stopped by {@link EmbeddedStores}.
 */
final class RocksWriter {
  private static final Logger LOG = LoggerFactory.getLogger(RocksWriter.class);
  /** Bounds one WriteBatch (and the latency of the first caller in it) under a flood of writes. */
  private static final int MAX_OPS_PER_BATCH = 2048;

  /** What one operation adds to a batch; runs on the writer thread and returns the value its caller gets. */
  @FunctionalInterface
  interface Step<T> {
    T apply(Batch batch) throws RocksDBException;
  }

  private final EmbeddedDb db;
  private final WriteOptions synced = new WriteOptions().setSync(true);
  /** Still written to the WAL, just not fsynced before the callers hear back. */
  private final WriteOptions walOnly = new WriteOptions().setSync(false);
  private final LinkedBlockingQueue<Op<?>> pending = new LinkedBlockingQueue<>();
  private final Op<Void> stop = new Op<>(b -> null, false, false);
  private final Object submitLock = new Object();
  private final AtomicLong commits = new AtomicLong();
  private final Thread thread;
  private final CommitListener listener;
  private boolean closed; // guarded by submitLock

  RocksWriter(EmbeddedDb db) {
    this(db, CommitListener.NONE);
  }

  RocksWriter(EmbeddedDb db, CommitListener listener) {
    this.db = db;
    this.listener = listener;
    this.thread = new Thread(this::run, "ferry-store-writer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** A write whose callers hear back only once it is synced to disk. */
  <T> Future<T> write(Step<T> step) {
    return submit(new Op<>(step, true, false));
  }

  /**
   * A write that may complete before its WAL record is fsynced. Only for changes whose loss at power failure is
   * harmless under at-least-once (the message would be delivered again); a process crash alone loses nothing.
   */
  <T> Future<T> writeUnsynced(Step<T> step) {
    return submit(new Op<>(step, false, false));
  }

  /** A synced write in a batch of its own, so it sees the DB with every earlier write committed (e.g. a purge scan). */
  <T> Future<T> writeAlone(Step<T> step) {
    return submit(new Op<>(step, true, true));
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

  private <T> Future<T> submit(Op<T> op) {
    // The lock makes "closed" and the enqueue one step, so nothing can land behind the stop marker and hang.
    synchronized (submitLock) {
      if (closed) {
        return Future.failedFuture(new IllegalStateException("store is closed"));
      }
      pending.add(op);
    }
    return op.reply.future();
  }

  private void run() {
    List<Op<?>> ops = new ArrayList<>();
    boolean stopping = false;
    while (!stopping) {
      try {
        ops.add(pending.take());
      } catch (InterruptedException e) {
        continue; // only the stop marker ends this thread: pending callers must always hear back
      }
      pending.drainTo(ops, MAX_OPS_PER_BATCH - 1);
      stopping = ops.remove(stop);
      try {
        commitAll(ops);
      } catch (Throwable t) {
        LOG.error("store writer failed on a batch of {} operations", ops.size(), t);
        ops.forEach(op -> op.reply.fail(t)); // completing twice is a no-op for those already answered
      }
      ops.clear();
    }
  }

  /** Applies ops in order; an op that must be alone gets a batch of its own, flushing the one before it. */
  private void commitAll(List<Op<?>> ops) throws RocksDBException {
    List<Op<?>> members = new ArrayList<>(ops.size());
    Batch batch = new Batch(db);
    try {
      for (Op<?> op : ops) {
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

  private boolean apply(Batch batch, Op<?> op) throws RocksDBException {
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

  /** Writes the batch once, publishes its in-memory effects, answers its callers; empties {@code members}. */
  private void commit(Batch batch, List<Op<?>> members) {
    boolean sync = false;
    for (Op<?> op : members) {
      sync |= op.sync;
    }
    try {
      if (batch.hasWrites()) {
        long started = System.nanoTime();
        db.db().write(sync ? synced : walOnly, batch.writes());
        listener.committed(members.size(), System.nanoTime() - started, sync);
        commits.incrementAndGet();
      }
    } catch (RocksDBException e) {
      LOG.error("store write of {} operations failed", members.size(), e);
      listener.commitFailed(members.size(), e);
      members.forEach(op -> op.reply.fail(e));
      members.clear();
      return;
    }
    for (Runnable hook : batch.commitHooks()) {
      try {
        hook.run();
      } catch (RuntimeException e) {
        LOG.error("in-memory update after a committed write failed", e); // durable anyway: answer the callers
      }
    }
    members.forEach(Op::succeed);
    members.clear();
  }

  /** One queued write with its caller's reply. */
  private static final class Op<T> {
    final Step<T> step;
    final boolean sync;
    final boolean alone;
    final Reply<T> reply = new Reply<>();
    Object result;

    Op(Step<T> step, boolean sync, boolean alone) {
      this.step = step;
      this.sync = sync;
      this.alone = alone;
    }

    @SuppressWarnings("unchecked")
    void succeed() {
      reply.succeed((T) result);
    }
  }
}
