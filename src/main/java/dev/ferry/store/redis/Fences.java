package dev.ferry.store.redis;

/**
 * The fencing value delivery's writes in a partition must carry (see {@link
 * PartitionLeases#fence}).
 */
@FunctionalInterface
interface Fences {
  /** Writes are not fenced: one process alone, or tests of the store itself. */
  Fences NONE = partition -> "";

  /**
   * The lease value for the partition, "" when writes are not fenced, or null when this process
   * does not hold the partition (the write is refused without asking Redis).
   */
  String of(int partition);
}
