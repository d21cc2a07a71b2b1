package dev.ferry.store;

/**
 * Hears about every write a backend commits (a group commit of the embedded store's writer), so no
 * store depends on a metrics library; {@code FerryMetrics} implements it. Called on the backend's
 * writer thread right after each write: implementations must be cheap, must not block and must not
 * throw.
 */
public interface StoreMetrics {
  /** Does nothing. */
  StoreMetrics NONE = new StoreMetrics() {};

  /**
   * A batch was written.
   *
   * @param operations how many callers' operations the batch carried (the group size)
   * @param nanos how long the write took (including the sync to disk when {@code synced})
   * @param synced whether the write was synced to disk before the callers heard back
   */
  default void committed(int operations, long nanos, boolean synced) {}

  /** A batch could not be written; every operation in it failed with {@code error}. */
  default void commitFailed(int operations, Exception error) {}

  /**
   * Operations were refused before being written (the disk reserve is reached); nothing of them was
   * written.
   */
  default void refused(int operations, Exception reason) {}
}
