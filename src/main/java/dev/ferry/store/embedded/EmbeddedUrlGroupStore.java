package dev.ferry.store.embedded;

import dev.ferry.model.UrlGroup;
import dev.ferry.store.UrlGroupStore;
import dev.ferry.store.codec.MetadataCodec;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * {@link UrlGroupStore} on RocksDB: groups in a {@link MetadataTable}, so reads complete at once.
 */
final class EmbeddedUrlGroupStore implements UrlGroupStore {
  private final MetadataTable<UrlGroup> table;

  EmbeddedUrlGroupStore(EmbeddedDb db, RocksWriter writer) {
    this.table =
        new MetadataTable<>(
            db,
            writer,
            EmbeddedDb::urlGroups,
            MetadataCodec::encode,
            MetadataCodec::decodeUrlGroup,
            UrlGroup::tenant,
            UrlGroup::name);
  }

  @Override
  public Future<Optional<UrlGroup>> get(String tenant, String name) {
    return Future.succeededFuture(table.get(tenant, name));
  }

  @Override
  public Future<List<UrlGroup>> list(String tenant) {
    return Future.succeededFuture(table.list(tenant));
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
