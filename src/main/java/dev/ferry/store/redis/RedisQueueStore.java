package dev.ferry.store.redis;

import dev.ferry.model.Queue;
import dev.ferry.store.QueueStore;
import dev.ferry.store.codec.MetadataCodec;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/** {@link QueueStore} on Redis ({@link RedisMetadataTable}). Non-blocking; thread-safe. */
final class RedisQueueStore implements QueueStore {
  private final RedisMetadataTable<Queue> table;

  RedisQueueStore(RedisLink link, RedisKeys keys) {
    this.table =
        new RedisMetadataTable<>(
            link,
            keys,
            "queues",
            MetadataCodec::encode,
            MetadataCodec::decodeQueue,
            Queue::tenant,
            Queue::name);
  }

  @Override
  public Future<Optional<Queue>> get(String tenant, String name) {
    return table.get(tenant, name);
  }

  @Override
  public Future<List<Queue>> list(String tenant) {
    return table.list(tenant);
  }

  @Override
  public Future<List<Queue>> listAll() {
    return table.all();
  }

  @Override
  public Future<Void> put(Queue queue) {
    return table.put(queue.tenant(), queue.name(), queue);
  }

  @Override
  public Future<Boolean> delete(String tenant, String name) {
    return table.delete(tenant, name);
  }
}
