package dev.ferry.store.redis;

import dev.ferry.model.FlowControlSettings;
import dev.ferry.store.FlowControlStore;
import dev.ferry.store.codec.MetadataCodec;
import io.vertx.core.Future;
import java.util.List;

/** {@link FlowControlStore} on Redis ({@link RedisMetadataTable}). Non-blocking; thread-safe. */
final class RedisFlowControlStore implements FlowControlStore {
  private final RedisMetadataTable<FlowControlSettings> table;

  RedisFlowControlStore(RedisLink link, RedisKeys keys) {
    this.table =
        new RedisMetadataTable<>(
            link,
            keys,
            "flow",
            MetadataCodec::encode,
            MetadataCodec::decodeFlowControlSettings,
            FlowControlSettings::tenant,
            FlowControlSettings::key);
  }

  @Override
  public Future<List<FlowControlSettings>> listAll() {
    return table.all();
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
