package dev.ferry.store.embedded;

import io.vertx.core.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small pool of its own for reads that may touch disk (finds, scans), so no event loop ever waits
 * on RocksDB and reads do not queue behind Vert.x's shared worker pool. Each read runs under the
 * store's read lock, so a reopen in place never closes the DB under it. Started and stopped by
 * {@link EmbeddedStores} and {@link EmbeddedLogStore}.
 */
final class RocksReaders {
  private static final Logger LOG = LoggerFactory.getLogger(RocksReaders.class);

  /** A read; runs on a reader thread. */
  @FunctionalInterface
  interface Read<T> {
    T run() throws Exception;
  }

  private final ExecutorService pool;
  private final ReopenableDb db;

  /** {@code threadName} names the threads, numbered from 1. */
  RocksReaders(int threads, ReopenableDb db, String threadName) {
    this.db = db;
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, threadName + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  <T> Future<T> read(Read<T> read) {
    Reply<T> reply = new Reply<>();
    try {
      pool.execute(
          () -> {
            try {
              reply.succeed(db.read(read));
            } catch (Throwable t) {
              reply.fail(t);
            }
          });
    } catch (RejectedExecutionException e) {
      return Future.failedFuture(new IllegalStateException("store is closed"));
    }
    return reply.future();
  }

  /** Refuses new reads and waits for running ones: the DB must not close under a read. Blocking. */
  void close() throws InterruptedException {
    pool.shutdown();
    while (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
      // a read stuck this long is a bug, but closing the DB under it would crash the JVM: keep
      // waiting
      LOG.warn("store close still waiting for a read to finish");
    }
  }
}
