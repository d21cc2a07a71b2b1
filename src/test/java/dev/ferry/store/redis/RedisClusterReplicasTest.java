package dev.ferry.store.redis;

/** {@link RedisReplicasTest} on the shared 3-primary Redis Cluster ({@code mode: cluster}). */
class RedisClusterReplicasTest extends RedisReplicasTest {
  @Override
  protected RedisTarget newTarget() {
    return RedisTarget.cluster();
  }
}
