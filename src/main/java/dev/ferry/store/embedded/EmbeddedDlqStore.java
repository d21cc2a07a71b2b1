package dev.ferry.store.embedded;

import dev.ferry.model.DlqEntry;
import dev.ferry.store.DlqStore;
import dev.ferry.store.codec.MessageCodec;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.rocksdb.RocksIterator;

/**
 * {@link DlqStore} on RocksDB: entries keyed tenant 0 encoded-dlqId ({@link Keys#dlq}), so a
 * tenant's entries are one range, oldest first. Entries arrive through {@link
 * EmbeddedMessageStore#moveToDlq}; reads run on the readers.
 */
final class EmbeddedDlqStore implements DlqStore {
  private final EmbeddedDb db;
  private final RocksWriter writer;
  private final RocksReaders readers;

  EmbeddedDlqStore(EmbeddedDb db, RocksWriter writer, RocksReaders readers) {
    this.db = db;
    this.writer = writer;
    this.readers = readers;
  }

  @Override
  public Future<Optional<DlqEntry>> find(String tenant, String dlqId) {
    byte[] key = Keys.dlq(tenant, dlqId);
    return readers.read(
        () -> {
          byte[] value = db.db().get(db.dlq(), key);
          return value == null ? Optional.empty() : Optional.of(MessageCodec.decodeDlqEntry(value));
        });
  }

  @Override
  public Future<List<DlqEntry>> list(String tenant, String afterDlqId, int limit) {
    if (limit <= 0) {
      return Future.succeededFuture(List.of());
    }
    byte[] prefix = Keys.tenantPrefix(tenant);
    byte[] from = afterDlqId == null ? prefix : Keys.dlq(tenant, afterDlqId);
    return readers.read(
        () -> {
          List<DlqEntry> out = new ArrayList<>(Math.min(limit, 1024));
          try (RocksIterator it = db.db().newIterator(db.dlq())) {
            it.seek(from);
            if (afterDlqId != null && it.isValid() && Arrays.equals(it.key(), from)) {
              it.next(); // the cursor itself is exclusive
            }
            for (;
                it.isValid() && out.size() < limit && Keys.startsWith(it.key(), prefix);
                it.next()) {
              out.add(MessageCodec.decodeDlqEntry(it.value()));
            }
            it.status();
          }
          return out;
        });
  }

  @Override
  public Future<Long> count(String tenant) {
    byte[] prefix = Keys.tenantPrefix(tenant);
    return readers.read(
        () -> {
          long n = 0;
          try (RocksIterator it = db.db().newIterator(db.dlq())) {
            for (it.seek(prefix); it.isValid() && Keys.startsWith(it.key(), prefix); it.next()) {
              n++;
            }
            it.status();
          }
          return n;
        });
  }

  @Override
  public Future<Boolean> delete(String tenant, String dlqId) {
    byte[] key = Keys.dlq(tenant, dlqId);
    return writer.write(
        batch -> {
          if (!batch.exists(db.dlq(), key)) {
            return false;
          }
          batch.delete(db.dlq(), key);
          return true;
        });
  }

  @Override
  public Future<List<DlqEntry>> listNewestFirst(String tenant, String beforeDlqId, int limit) {
    if (limit <= 0) {
      return Future.succeededFuture(List.of());
    }
    byte[] prefix = Keys.tenantPrefix(tenant);
    return readers.read(
        () -> {
          List<DlqEntry> out = new ArrayList<>(Math.min(limit, 1024));
          try (RocksIterator it = db.db().newIterator(db.dlq())) {
            if (beforeDlqId == null) {
              byte[] end = prefix.clone();
              end[end.length - 1] = 1; // just after every key of the tenant
              it.seekForPrev(end);
            } else {
              byte[] from = Keys.dlq(tenant, beforeDlqId);
              it.seekForPrev(from);
              if (it.isValid() && Arrays.equals(it.key(), from)) {
                it.prev(); // the cursor itself is exclusive
              }
            }
            for (;
                it.isValid() && out.size() < limit && Keys.startsWith(it.key(), prefix);
                it.prev()) {
              out.add(MessageCodec.decodeDlqEntry(it.value()));
            }
            it.status();
          }
          return out;
        });
  }

  @Override
  public Future<List<String>> deleteAll(String tenant, List<String> dlqIds) {
    if (dlqIds.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<String> ids = List.copyOf(dlqIds);
    return writer.write(
        batch -> {
          List<String> deleted = new ArrayList<>();
          for (String id : ids) {
            byte[] key = Keys.dlq(tenant, id);
            if (batch.exists(db.dlq(), key)) {
              batch.delete(db.dlq(), key);
              deleted.add(id);
            }
          }
          return deleted;
        });
  }

  /**
   * Finds the expired keys on a reader thread (dlqIds sort by time within a tenant), then deletes
   * them in one unsynced write, so the writer thread shared with publishing only copies a bounded
   * number of deletes. A lost delete (power cut) only means the entry is expired again later.
   */
  @Override
  public Future<Integer> expire(long beforeMillis, int limit) {
    byte[] cutoff = Keys.dlqId(beforeMillis + "-0");
    return readers
        .read(
            () -> {
              List<byte[]> keys = new ArrayList<>();
              try (RocksIterator it = db.db().newIterator(db.dlq())) {
                it.seekToFirst();
                while (it.isValid() && keys.size() < limit) {
                  byte[] key = it.key();
                  byte[] prefix = tenantPrefixOf(key);
                  byte[] end = concat(prefix, cutoff);
                  for (;
                      it.isValid()
                          && keys.size() < limit
                          && Keys.startsWith(it.key(), prefix)
                          && Arrays.compareUnsigned(it.key(), end) < 0;
                      it.next()) {
                    keys.add(it.key());
                  }
                  byte[] next = prefix.clone();
                  next[next.length - 1] = 1;
                  it.seek(next); // the next tenant
                }
                it.status();
              }
              return keys;
            })
        .compose(
            keys ->
                keys.isEmpty()
                    ? Future.succeededFuture(0)
                    : writer.writeUnsynced(
                        batch -> {
                          for (byte[] key : keys) {
                            batch.delete(db.dlq(), key);
                          }
                          return keys.size();
                        }));
  }

  private static byte[] tenantPrefixOf(byte[] key) {
    for (int i = 0; i < key.length; i++) {
      if (key[i] == 0) {
        return Arrays.copyOf(key, i + 1);
      }
    }
    throw new IllegalStateException("malformed dlq key: no tenant separator");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
