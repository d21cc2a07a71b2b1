package dev.ferry.store.redis;

import dev.ferry.model.UrlGroup;
import dev.ferry.store.UrlGroupStore;
import dev.ferry.store.codec.MetadataCodec;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/** {@link UrlGroupStore} on Redis ({@link RedisMetadataTable}). Non-blocking; thread-safe. */
final class RedisUrlGroupStore implements UrlGroupStore {
  private final RedisMetadataTable<UrlGroup> table;

  RedisUrlGroupStore(RedisLink link, RedisKeys keys) {
    this.table =
        new RedisMetadataTable<>(
            link,
            keys,
            "groups",
            MetadataCodec::encode,
            MetadataCodec::decodeUrlGroup,
            UrlGroup::tenant,
            UrlGroup::name);
  }

  @Override
  public Future<Optional<UrlGroup>> get(String tenant, String name) {
    return table.get(tenant, name);
  }

  @Override
  public Future<List<UrlGroup>> list(String tenant) {
    return table.list(tenant);
  }

  @Override
  public Future<Void> put(UrlGroup group) {
    return table.put(group.tenant(), group.name(), group);
  }

  @Override
  public Future<Boolean> delete(String tenant, String name) {
    return table.delete(tenant, name);
  }
}
