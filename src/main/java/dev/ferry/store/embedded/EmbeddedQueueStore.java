package dev.ferry.store.embedded;

import dev.ferry.model.Queue;
import dev.ferry.store.QueueStore;
import dev.ferry.store.codec.MetadataCodec;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * {@link QueueStore} on RocksDB: queue definitions in a {@link MetadataTable}, so reads complete at
 * once.
 */
final class EmbeddedQueueStore implements QueueStore {
  private final MetadataTable<Queue> table;

  EmbeddedQueueStore(EmbeddedDb db, RocksWriter writer) {
    this.table =
        new MetadataTable<>(
            db,
            writer,
            EmbeddedDb::queues,
            MetadataCodec::encode,
            MetadataCodec::decodeQueue,
            Queue::tenant,
            Queue::name);
  }

  @Override
  public Future<Optional<Queue>> get(String tenant, String name) {
    return Future.succeededFuture(table.get(tenant, name));
  }

  @Override
  public Future<List<Queue>> list(String tenant) {
    return Future.succeededFuture(table.list(tenant));
  }

  @Override
  public Future<List<Queue>> listAll() {
    return Future.succeededFuture(table.all());
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
