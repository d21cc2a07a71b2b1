package dev.ferry.store.embedded;

import dev.ferry.model.Message;
import io.vertx.core.Future;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.rocksdb.RocksIterator;

/**
 * The deduplication half of the message store: appends that skip messages whose dedup key is still
 * held, and the purge of expired dedup records.
 */
final class DedupWrites {
  private final EmbeddedDb db;
  private final RocksWriter writer;
  private final QueueCounters counters;

  DedupWrites(EmbeddedDb db, RocksWriter writer, QueueCounters counters) {
    this.db = db;
    this.writer = writer;
    this.counters = counters;
  }

  /**
   * Appends {@code prepared} (encoded from {@code messages}), skipping each message whose key is
   * held and unexpired; returns, per message, the id holding its key or null when it was stored.
   * The decision runs on the writer thread against the batch overlay, so it sees appends earlier in
   * the batch.
   */
  Future<List<String>> append(
      PreparedAppend prepared,
      List<Message> messages,
      List<String> dedupKeys,
      long nowMillis,
      long expiresAt) {
    int n = messages.size();
    byte[][] records = new byte[n][];
    byte[][] values = new byte[n][];
    byte[][] expiries = new byte[n][];
    for (int i = 0; i < n; i++) {
      String key = dedupKeys.get(i);
      if (key != null) {
        Message m = messages.get(i);
        records[i] = Keys.dedup(m.tenant(), key);
        values[i] = Keys.dedupValue(expiresAt, m.id());
        expiries[i] = Keys.dedupExpiry(expiresAt, records[i]);
      }
    }
    return writer.write(
        batch -> {
          String[] originals = new String[n];
          boolean[] skipped = new boolean[n];
          for (int i = 0; i < n; i++) {
            if (records[i] != null) {
              byte[] held = batch.get(db.dedup(), records[i]);
              if (held != null && Keys.dedupValueExpiresAt(held) > nowMillis) {
                originals[i] = Keys.dedupValueMessageId(held);
                skipped[i] = true;
                continue;
              }
              batch.put(db.dedup(), records[i], values[i]);
              batch.writes().put(db.dedup(), expiries[i], Keys.EMPTY);
            }
            prepared.write(batch, i);
          }
          prepared.countPending(batch, prepared.tenantCounts(skipped));
          Map<String, Long> added = prepared.queueCounts(skipped);
          if (added != null) {
            batch.afterCommit(() -> added.forEach(counters::add));
          }
          return Arrays.asList(originals);
        });
  }

  /** Drops up to {@code limit} dedup records that expired by {@code nowMillis}. */
  Future<Integer> purgeExpired(long nowMillis, int limit) {
    if (limit <= 0) {
      return Future.succeededFuture(0);
    }
    return writer.writeUnsynced(
        batch -> {
          int processed = 0;
          try (RocksIterator it = db.db().newIterator(db.dedup())) {
            for (it.seek(Keys.DEDUP_EXPIRY_START); it.isValid() && processed < limit; it.next()) {
              byte[] indexKey = it.key();
              if (!Keys.isDedupExpiry(indexKey) || Keys.dedupExpiresAtOf(indexKey) > nowMillis) {
                break;
              }
              byte[] record = Keys.dedupRecordOf(indexKey);
              byte[] held = batch.get(db.dedup(), record);
              if (held != null
                  && Keys.dedupValueExpiresAt(held) == Keys.dedupExpiresAtOf(indexKey)) {
                batch.delete(db.dedup(), record);
              }
              batch.writes().delete(db.dedup(), indexKey);
              processed++;
            }
            it.status();
          }
          return processed;
        });
  }
}
