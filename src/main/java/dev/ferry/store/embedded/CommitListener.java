package dev.ferry.store.embedded;

/**
 * Hears about every group commit of the embedded store's writer (metrics, health), so the store does not depend on
 * a metrics library. Called on the writer thread right after each RocksDB write: implementations must be cheap,
 * must not block and must not throw.
 */
public interface CommitListener {
  /** Does nothing. */
  CommitListener NONE = new CommitListener() {};

  /**
   * A batch was written.
   *
   * @param operations how many callers' operations the batch carried (the group size)
   * @param nanos      how long the RocksDB write took (including the WAL sync when {@code synced})
   * @param synced     whether the WAL was fsynced before the callers heard back
   */
  default void committed(int operations, long nanos, boolean synced) {}

  /** A batch could not be written; every operation in it failed with {@code error}. */
  default void commitFailed(int operations, Exception error) {}

  /** Operations were refused before being written (the disk reserve is reached); nothing of them was written. */
  default void refused(int operations, Exception reason) {}
}
