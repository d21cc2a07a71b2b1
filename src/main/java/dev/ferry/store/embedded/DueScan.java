package dev.ferry.store.embedded;

import dev.ferry.ingest.Ids;
import dev.ferry.model.DueEntry;
import dev.ferry.store.codec.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Reads the due index of unqueued messages in (dueAt, id) order. It lives in two places ({@link
 * DueRows}): the {@code messages} column family, whose keys sort by the time in each id, holds the
 * messages still due at that time; the {@code due} column family holds a row for each other one.
 * Both are read from the cursor and merged. Reader threads only.
 */
final class DueScan {
  private DueScan() {}

  /**
   * Up to {@code limit} entries after ({@code afterDueAt}, {@code afterId}), due no later than
   * {@code untilDueAt}.
   */
  static List<DueEntry> scan(
      EmbeddedDb db, long afterDueAt, String afterId, long untilDueAt, int limit)
      throws RocksDBException {
    List<DueEntry> rows = rows(db, afterDueAt, afterId, untilDueAt, limit);
    List<DueEntry> records = records(db, afterDueAt, afterId, untilDueAt, limit);
    if (records.isEmpty()) return rows;
    if (rows.isEmpty()) return records;
    return merge(rows, records, limit);
  }

  /** Entries of the {@code due} column family. */
  private static List<DueEntry> rows(
      EmbeddedDb db, long afterDueAt, String afterId, long untilDueAt, int limit)
      throws RocksDBException {
    List<DueEntry> out = new ArrayList<>(Math.min(limit, 1024));
    byte[] from = Keys.due(afterDueAt, afterId);
    try (RocksIterator it = db.db().newIterator(db.due())) {
      it.seek(from);
      if (it.isValid() && Arrays.equals(it.key(), from)) {
        it.next(); // the cursor itself is exclusive
      }
      for (; it.isValid() && out.size() < limit; it.next()) {
        byte[] key = it.key();
        long dueAt = Keys.dueAtOf(key);
        if (dueAt > untilDueAt) {
          break;
        }
        out.add(new DueEntry(dueAt, Keys.dueIdOf(key)));
      }
      it.status();
    }
    return out;
  }

  /**
   * Unqueued messages still due at the time their id holds. Queued messages and rescheduled ones
   * sit among them in key order and are passed over.
   */
  private static List<DueEntry> records(
      EmbeddedDb db, long afterDueAt, String afterId, long untilDueAt, int limit)
      throws RocksDBException {
    List<DueEntry> out = new ArrayList<>(Math.min(limit, 1024));
    try (RocksIterator it = db.db().newIterator(db.messages())) {
      it.seek(Keys.message(Ids.firstIdAt(afterDueAt)));
      for (; it.isValid() && out.size() < limit; it.next()) {
        String id = new String(it.key(), StandardCharsets.UTF_8);
        long time = Ids.timeOf(id);
        if (time < 0) break; // past the message ids ("msg_"…); the key order holds no more
        if (time > untilDueAt) break;
        if (!after(time, id, afterDueAt, afterId)) continue;
        byte[] record = it.value();
        if (MessageCodec.dueAtOf(record) == time && MessageCodec.queueNameOf(record) == null) {
          out.add(new DueEntry(time, id));
        }
      }
      it.status();
    }
    return out;
  }

  private static boolean after(long dueAt, String id, long afterDueAt, String afterId) {
    return dueAt > afterDueAt || (dueAt == afterDueAt && id.compareTo(afterId) > 0);
  }

  /** Both lists in order, an entry found in both once, the first {@code limit}. */
  static List<DueEntry> merge(List<DueEntry> a, List<DueEntry> b, int limit) {
    List<DueEntry> out = new ArrayList<>(Math.min(limit, a.size() + b.size()));
    int i = 0;
    int j = 0;
    while (out.size() < limit && (i < a.size() || j < b.size())) {
      int order = i == a.size() ? 1 : j == b.size() ? -1 : a.get(i).compareTo(b.get(j));
      if (order <= 0) out.add(a.get(i++));
      else out.add(b.get(j++));
      if (order == 0) j++;
    }
    return out;
  }
}
