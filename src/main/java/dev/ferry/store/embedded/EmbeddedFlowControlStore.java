package dev.ferry.store.embedded;

import dev.ferry.model.FlowControlSettings;
import dev.ferry.store.FlowControlStore;
import dev.ferry.store.codec.MetadataCodec;
import io.vertx.core.Future;
import java.util.List;

/** {@link FlowControlStore} on RocksDB: one {@link MetadataTable} record per key with settings. */
final class EmbeddedFlowControlStore implements FlowControlStore {
  private final MetadataTable<FlowControlSettings> table;

  EmbeddedFlowControlStore(EmbeddedDb db, RocksWriter writer) {
    this.table =
        new MetadataTable<>(
            db,
            writer,
            EmbeddedDb::flowControl,
            MetadataCodec::encode,
            MetadataCodec::decodeFlowControlSettings,
            FlowControlSettings::tenant,
            FlowControlSettings::key);
  }

  @Override
  public Future<List<FlowControlSettings>> listAll() {
    return Future.succeededFuture(table.all());
  }

  @Override
  public Future<Void> put(FlowControlSettings settings) {
    return table.put(settings.tenant(), settings.key(), settings);
  }

  @Override
  public Future<Boolean> delete(String tenant, String key) {
    return table.delete(tenant, key);
  }
}
