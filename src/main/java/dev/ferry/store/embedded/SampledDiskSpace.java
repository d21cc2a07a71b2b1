package dev.ferry.store.embedded;

import java.util.function.LongSupplier;

/**
 * The free space a writer checks before each commit, asked of the volume at most every {@link
 * #MAX_AGE_NANOS} while it is far above the reserve, and on every call once it is near. A statfs
 * call walks the store's path and costs the single-publish path about 1 µs per request when made
 * per group commit (docs/operations.md#overload-and-full-disks); far from the reserve a reading a
 * few milliseconds old cannot be wrong about which side of it the volume is on, and near it every
 * commit asks again, as before. Used by one writer thread only.
 */
final class SampledDiskSpace implements DiskSpace {
  /** How old a reading may be while the volume is far above the reserve. */
  static final long MAX_AGE_NANOS = 50_000_000;

  /** Far means more free than this many times the reserve. */
  static final int FAR_FACTOR = 4;

  private final DiskSpace volume;
  private final long far;
  private final LongSupplier nanoClock;

  /** 0 before the first call, which is within any reserve: the first call asks the volume. */
  private long lastFree;

  private long readAt;

  /**
   * @param reserveBytes the writer's reserve; 0 or less: every call asks the volume (no reserve to
   *     be near)
   */
  SampledDiskSpace(DiskSpace volume, long reserveBytes, LongSupplier nanoClock) {
    this.volume = volume;
    this.far = reserveBytes <= 0 ? Long.MAX_VALUE : saturatedTimes(reserveBytes, FAR_FACTOR);
    this.nanoClock = nanoClock;
  }

  SampledDiskSpace(DiskSpace volume, long reserveBytes) {
    this(volume, reserveBytes, System::nanoTime);
  }

  @Override
  public long usableBytes() {
    long now = nanoClock.getAsLong();
    if (lastFree <= far || now - readAt >= MAX_AGE_NANOS) {
      lastFree = volume.usableBytes();
      readAt = now;
    }
    return lastFree;
  }

  private static long saturatedTimes(long value, int factor) {
    return value > Long.MAX_VALUE / factor ? Long.MAX_VALUE : value * factor;
  }
}
