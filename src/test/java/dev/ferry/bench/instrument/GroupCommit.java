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
 * The batch instrument's store: one RocksDB, one writer thread that drains every pending request into one
 * {@link WriteBatch} (one put per entry, key = a sequence number, value = the body) and writes it with
 * {@code sync = true} (group commit), then answers each request on its own event loop. No logic beyond that: this
 * is what a synced RocksDB write path costs on the machine.
 */
final class GroupCommit implements AutoCloseable {
  /** Same bound as Ferry's writer: at most this many requests in one commit. */
  private static final int MAX_REQUESTS_PER_COMMIT = 2048;

  private record Pending(byte[][] values, Promise<Integer> promise, Context context) {}

  private final RocksDB db;
  private final Options options;
  private final WriteOptions synced;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Pending stop = new Pending(new byte[0][], null, null);
  private final Thread thread = new Thread(this::run, "instrument-writer");
  private long sequence;

  GroupCommit(Path dir) throws RocksDBException {
    RocksDB.loadLibrary();  // before any RocksDB object is created
    synced = new WriteOptions().setSync(true);
    // Ferry's messages column family has a 32 MB memtable and two background jobs: the same here.
    options = new Options().setCreateIfMissing(true).setWriteBufferSize(32L * 1024 * 1024).setMaxBackgroundJobs(2);
    db = RocksDB.open(options, dir.toString());
    thread.start();
  }

  /** Completes on the caller's context with the number of entries once they are synced. */
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
        if (batch.count() > 0) db.write(synced, batch);
      } catch (RocksDBException | RuntimeException e) {
        failure = e;
      }
      for (Pending p : group) {
        Throwable f = failure;
        Runnable answer = () -> {
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
    synced.close();
  }
}
