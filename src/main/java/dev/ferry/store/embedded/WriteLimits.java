package dev.ferry.store.embedded;

/**
 * Bounds of the embedded store's writer (from the {@code overload} config section): how many writes
 * may wait for the writer thread before API writes are refused, and how much free space the store
 * keeps on its volume.
 *
 * @param maxPendingWrites waiting writes beyond which API writes are refused at once
 * @param minFreeDiskBytes free bytes kept on the volume (0 = no check)
 */
public record WriteLimits(int maxPendingWrites, long minFreeDiskBytes) {
  /** No bound: tests of the store itself. */
  public static final WriteLimits NONE = new WriteLimits(Integer.MAX_VALUE, 0);
}
