package dev.ferry.store.redis;

import dev.ferry.store.MessageIds;

/**
 * Message ids of the Redis store: the minted id plus two base62 characters naming the partition the
 * message is placed in ({@link Partitions}). Pure and thread-safe.
 */
final class RedisIds implements MessageIds {
  private final Partitions partitions;

  RedisIds(Partitions partitions) {
    this.partitions = partitions;
  }

  @Override
  public String complete(String minted, Placement placement) {
    return partitions.withPartition(minted, partitions.of(placement, minted));
  }
}
