package dev.ferry.store.redis;

import dev.ferry.store.PartitionOwnership;

/**
 * {@link PartitionOwnership} of a replica sharing Redis: what it holds a live lease on ({@link
 * PartitionLeases}) and is not handing over, asked by the partition of the thing in question
 * ({@link Partitions}). Thread-safe.
 */
final class LeasedOwnership implements PartitionOwnership {
  private final PartitionLeases leases;
  private final Partitions partitions;

  LeasedOwnership(PartitionLeases leases, Partitions partitions) {
    this.leases = leases;
    this.partitions = partitions;
  }

  /** By the id alone: the store keeps a message in the partition its id names. */
  @Override
  public boolean ownsMessage(
      String messageId, String tenant, String queue, String flowKey, String scheduleId) {
    return leases.owns(partitions.ofId(messageId));
  }

  @Override
  public boolean ownsQueue(String tenant, String queue) {
    return leases.owns(partitions.ofQueue(tenant, queue));
  }

  @Override
  public boolean ownsSchedule(String scheduleId) {
    return leases.owns(partitions.ofSchedule(scheduleId));
  }

  @Override
  public boolean ownsFlowControlKey(String tenant, String key) {
    return leases.owns(partitions.ofFlowControlKey(tenant, key));
  }

  /**
   * Two lease rounds: every other replica computes the new assignment in its next round, and until
   * then sends its nudges for the gained partitions to their previous owner.
   */
  @Override
  public long settleMillis() {
    return 2 * leases.roundMillis();
  }

  @Override
  public void listen(Listener listener) {
    leases.listen(listener);
  }
}
