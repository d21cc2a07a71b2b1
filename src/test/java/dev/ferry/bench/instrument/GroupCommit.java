package dev.ferry.bench.instrument;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The instruments' store: one RocksDB, one writer thread that drains every pending request into one
 * {@link WriteBatch} (one put per entry, key = a sequence number, value = the body) and writes it
 * (group commit), then answers each request on its own event loop. The batch instrument writes with
 * {@code sync = true}: what a synced RocksDB write path costs on the machine. The signing delivery
 * instrument writes its outcomes with {@code sync = false} (still to the WAL, not fsynced), as
 * Ferry writes delivery outcomes. No logic beyond that.
 */
final class GroupCommit implements AutoCloseable {
  /** Same bound as Ferry's writer: at most this many requests in one commit. */
  private static final int MAX_REQUESTS_PER_COMMIT = 2048;

  private record Pending(byte[][] values, Promise<Integer> promise, Context context) {}

  private final RocksDB db;
  private final Options options;
  private final WriteOptions writeOptions;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Pending stop = new Pending(new byte[0][], null, null);
  private final Thread thread;
  private long sequence;

  /** A synced store: callers hear back once their entries are fsynced. */
  GroupCommit(Path dir) throws RocksDBException {
    this(dir, true, "instrument-writer");
  }

  /**
   * @param sync false: written to the WAL but not fsynced before callers hear back
   */
  GroupCommit(Path dir, boolean sync, String threadName) throws RocksDBException {
    RocksDB.loadLibrary(); // before any RocksDB object is created
    writeOptions = new WriteOptions().setSync(sync).setDisableWAL(false);
    // Ferry's messages column family has a 32 MB memtable and two background jobs: the same here.
    options =
        new Options()
            .setCreateIfMissing(true)
            .setWriteBufferSize(32L * 1024 * 1024)
            .setMaxBackgroundJobs(2);
    db = RocksDB.open(options, dir.toString());
    thread = new Thread(this::run, threadName);
    thread.start();
  }

  /**
   * Completes on the caller's context with the number of entries once they are written (synced if
   * so made).
   */
  Future<Integer> commit(byte[][] values) {
    Promise<Integer> promise = Promise.promise();
    queue.add(new Pending(values, promise, Vertx.currentContext()));
    return promise.future();
  }

  private void run() {
    List<Pending> group = new ArrayList<>();
    while (true) {
      try {
        group.add(queue.take());
      } catch (InterruptedException e) {
        continue;
      }
      queue.drainTo(group, MAX_REQUESTS_PER_COMMIT - 1);
      boolean stopping = group.remove(stop);
      Throwable failure = null;
      try (WriteBatch batch = new WriteBatch()) {
        for (Pending p : group) {
          for (byte[] value : p.values()) {
            batch.put(ByteBuffer.allocate(8).putLong(sequence++).array(), value);
          }
        }
        if (batch.count() > 0) db.write(writeOptions, batch);
      } catch (RocksDBException | RuntimeException e) {
        failure = e;
      }
      for (Pending p : group) {
        Throwable f = failure;
        Runnable answer =
            () -> {
              if (f == null) p.promise().complete(p.values().length);
              else p.promise().fail(f);
            };
        if (p.context() == null) answer.run();
        else p.context().runOnContext(v -> answer.run());
      }
      group.clear();
      if (stopping) return;
    }
  }

  @Override
  public void close() throws InterruptedException {
    queue.add(stop);
    thread.join();
    db.close();
    options.close();
    writeOptions.close();
  }
}
