package dev.ferry.store.embedded;

import dev.ferry.store.SigningKeyStore;
import dev.ferry.store.codec.MetadataCodec;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.rocksdb.RocksIterator;

/**
 * {@link SigningKeyStore} on RocksDB: one record per tenant, mirrored in memory (loaded at open,
 * updated once a write is durable) because every delivery signs with these keys.
 */
final class EmbeddedSigningKeyStore implements SigningKeyStore {
  private final EmbeddedDb db;
  private final RocksWriter writer;
  private final ConcurrentHashMap<String, StoredKeys> byTenant = new ConcurrentHashMap<>();

  EmbeddedSigningKeyStore(EmbeddedDb db, RocksWriter writer) {
    this.db = db;
    this.writer = writer;
    try (RocksIterator it = db.db().newIterator(db.signingKeys())) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        byTenant.put(
            new String(it.key(), StandardCharsets.UTF_8), MetadataCodec.decodeKeys(it.value()));
      }
    }
  }

  @Override
  public Future<Optional<StoredKeys>> get(String tenant) {
    return Future.succeededFuture(Optional.ofNullable(byTenant.get(tenant)));
  }

  @Override
  public Future<Void> put(String tenant, StoredKeys keys) {
    byte[] key = Keys.tenant(tenant);
    byte[] value = MetadataCodec.encode(keys);
    return writer.write(
        batch -> {
          batch.put(db.signingKeys(), key, value);
          batch.afterCommit(() -> byTenant.put(tenant, keys));
          return null;
        });
  }
}
