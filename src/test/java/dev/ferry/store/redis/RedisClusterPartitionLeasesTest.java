package dev.ferry.store.redis;

/** {@link PartitionLeasesTest} on the shared 3-primary Redis Cluster ({@code mode: cluster}). */
class RedisClusterPartitionLeasesTest extends PartitionLeasesTest {
  @Override
  protected RedisTarget newTarget() {
    return RedisTarget.cluster();
  }
}
