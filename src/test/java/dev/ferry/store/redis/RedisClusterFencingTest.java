package dev.ferry.store.redis;

/** {@link RedisFencingTest} on the shared 3-primary Redis Cluster ({@code mode: cluster}). */
class RedisClusterFencingTest extends RedisFencingTest {
  @Override
  protected RedisTarget newTarget() {
    return RedisTarget.cluster();
  }
}
