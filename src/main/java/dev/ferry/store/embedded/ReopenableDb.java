package dev.ferry.store.embedded;

import dev.ferry.store.StoreUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live {@link RocksInstance} of one store, which the store's writer thread may close and open
 * again in place (see {@link WriteRecovery}). Reads run under a read lock and a reopen takes the
 * write lock, so no reader ever touches a native object that a reopen is closing; the writer thread
 * needs no lock, being the only thread that reopens. Column family handles change with each reopen:
 * code reaches them through {@link #live()} where it uses them (on the writer thread, or inside a
 * read), never keeps one. Thread-safe.
 */
final class ReopenableDb {
  private static final Logger LOG = LoggerFactory.getLogger(ReopenableDb.class);

  /**
   * The key of probe writes (readiness, recovery); in the default column family, where no record of
   * Ferry's lives.
   */
  static final byte[] PROBE_KEY = "ferry.health-probe".getBytes(StandardCharsets.US_ASCII);

  /** Opens a fresh instance of the store; blocking. */
  @FunctionalInterface
  interface Opener {
    RocksInstance open() throws RocksDBException, IOException;
  }

  private final String name;
  private final Opener opener;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  /** Null once closed, and while closed after a reopen that failed. */
  private volatile RocksInstance live;

  /** {@code name} says which store in messages ("the store", "the log store"). */
  ReopenableDb(String name, RocksInstance first, Opener opener) {
    this.name = name;
    this.live = first;
    this.opener = opener;
  }

  /** The open instance; throws (touching nothing native) when the store is closed. */
  RocksInstance live() {
    RocksInstance instance = live;
    if (instance == null) throw new IllegalStateException(name + " is closed");
    return instance;
  }

  boolean isOpen() {
    return live != null;
  }

  String name() {
    return name;
  }

  /**
   * Runs {@code read} under the read lock; refuses with a {@link StoreUnavailableException} while
   * closed.
   */
  <T> T read(RocksReaders.Read<T> read) throws Exception {
    lock.readLock().lock();
    try {
      if (live == null) throw closed();
      return read.run();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * What callers get while the store is closed after a write error (a reopen failed, and is tried
   * again).
   */
  StoreUnavailableException closed() {
    return new StoreUnavailableException(
        StoreUnavailableException.Reason.STORE_REOPENING,
        name + " is closed after a write error and is being reopened, retry later");
  }

  /** A tiny write: succeeds only if RocksDB takes writes right now. Writer thread only. */
  void probe(WriteOptions options) throws RocksDBException {
    live()
        .db()
        .put(
            options,
            PROBE_KEY,
            Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Closes the instance and opens the store again in the same directory; writer thread only.
   * Closing an instance that is in RocksDB's error state reports that error again, which is only
   * logged. If opening fails, the store stays closed (reads and writes are refused) and the error
   * is thrown; the caller may try again later.
   */
  void reopen() throws RocksDBException, IOException {
    lock.writeLock().lock();
    try {
      RocksInstance old = live;
      live = null;
      if (old != null) {
        try {
          old.close(true);
        } catch (RocksDBException e) {
          LOG.warn("{}: closing it before reopening reported: {}", name, e.getMessage());
        }
      }
      live = opener.open();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Closes for good, once nothing reads or writes any more; closing again does nothing. */
  void close() throws RocksDBException {
    lock.writeLock().lock();
    try {
      RocksInstance old = live;
      live = null;
      if (old != null) old.close(true);
    } finally {
      lock.writeLock().unlock();
    }
  }
}
