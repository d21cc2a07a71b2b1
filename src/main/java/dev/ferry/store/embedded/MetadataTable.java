package dev.ferry.store.embedded;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * One kind of small per-tenant named record (queues, URL groups, schedules): a column family keyed
 * tenant 0 name, mirrored in a sorted in-memory map loaded at open. Reads answer from the map at
 * once; writes go through the {@link RocksWriter} and reach the map only once durable, so a reader
 * never sees a definition that could still be lost.
 */
final class MetadataTable<V> {
  private final EmbeddedDb db;
  private final RocksWriter writer;

  /** Fetched where used: a reopen in place replaces the handles. */
  private final Function<EmbeddedDb, ColumnFamilyHandle> cf;

  private final Function<V, byte[]> encode;
  private final Function<byte[], V> decode;

  /** tenant 0 name → record: one tenant's records are a contiguous sub-map sorted by name. */
  private final ConcurrentSkipListMap<String, V> byKey = new ConcurrentSkipListMap<>();

  MetadataTable(
      EmbeddedDb db,
      RocksWriter writer,
      Function<EmbeddedDb, ColumnFamilyHandle> cf,
      Function<V, byte[]> encode,
      Function<byte[], V> decode,
      Function<V, String> tenantOf,
      Function<V, String> nameOf) {
    this.db = db;
    this.writer = writer;
    this.cf = cf;
    this.encode = encode;
    this.decode = decode;
    try (RocksIterator it = db.db().newIterator(cf.apply(db))) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        V value = decode.apply(it.value());
        byKey.put(mapKey(tenantOf.apply(value), nameOf.apply(value)), value);
      }
    }
  }

  Optional<V> get(String tenant, String name) {
    return Optional.ofNullable(byKey.get(mapKey(tenant, name)));
  }

  List<V> list(String tenant) {
    // '\0' < '\1': the tenant's keys are exactly those in [tenant 0, tenant 1)
    return new ArrayList<>(byKey.subMap(tenant + '\0', tenant + '\1').values());
  }

  List<V> all() {
    return new ArrayList<>(byKey.values());
  }

  Future<Void> put(String tenant, String name, V value) {
    byte[] bytes = encode.apply(value); // on the caller's thread: the writer only copies bytes
    return writer.write(
        batch -> {
          write(batch, tenant, name, value, bytes);
          return null;
        });
  }

  /**
   * The record as of {@code batch} (earlier writes in it included), or null; writer thread only.
   */
  V stored(Batch batch, String tenant, String name) throws RocksDBException {
    byte[] value = batch.get(cf.apply(db), Keys.named(tenant, name));
    return value == null ? null : decode.apply(value);
  }

  /**
   * Adds a put of {@code value} to {@code batch}, reaching the map once durable; writer thread
   * only.
   */
  V write(Batch batch, String tenant, String name, V value) throws RocksDBException {
    return write(batch, tenant, name, value, encode.apply(value));
  }

  private V write(Batch batch, String tenant, String name, V value, byte[] bytes)
      throws RocksDBException {
    batch.put(cf.apply(db), Keys.named(tenant, name), bytes);
    batch.afterCommit(() -> byKey.put(mapKey(tenant, name), value));
    return value;
  }

  Future<Boolean> delete(String tenant, String name) {
    byte[] key = Keys.named(tenant, name);
    return writer.write(
        batch -> {
          if (!batch.exists(cf.apply(db), key)) {
            return false;
          }
          batch.delete(cf.apply(db), key);
          batch.afterCommit(() -> byKey.remove(mapKey(tenant, name)));
          return true;
        });
  }

  private static String mapKey(String tenant, String name) {
    return tenant + '\0' + name;
  }
}
