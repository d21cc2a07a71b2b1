package dev.ferry.store.embedded;

import dev.ferry.model.DlqEntry;
import dev.ferry.store.DlqStore;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.rocksdb.RocksIterator;

/**
 * {@link DlqStore} on RocksDB: entries keyed tenant 0 encoded-dlqId ({@link Keys#dlq}), so a tenant's entries are one
 * range, oldest first. Entries arrive through {@link EmbeddedMessageStore#moveToDlq}; reads run on the readers.
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
    return readers.read(() -> {
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
    return readers.read(() -> {
      List<DlqEntry> out = new ArrayList<>(Math.min(limit, 1024));
      try (RocksIterator it = db.db().newIterator(db.dlq())) {
        it.seek(from);
        if (afterDlqId != null && it.isValid() && Arrays.equals(it.key(), from)) {
          it.next(); // the cursor itself is exclusive
        }
        for (; it.isValid() && out.size() < limit && Keys.startsWith(it.key(), prefix); it.next()) {
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
    return readers.read(() -> {
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
    return writer.write(batch -> {
      if (!batch.exists(db.dlq(), key)) {
        return false;
      }
      batch.delete(db.dlq(), key);
      return true;
    });
  }
}
