package dev.ferry.store.embedded;

import dev.ferry.model.LogEntry;
import dev.ferry.model.Message;
import dev.ferry.store.LogStore.Page;
import dev.ferry.store.LogStore.Query;
import dev.ferry.store.MessageStore;
import dev.ferry.store.codec.LogCodec;
import dev.ferry.store.codec.MessageCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/**
 * One query of {@link EmbeddedLogStore}: a scan of the tenant's rows in either direction between
 * positions, joined with each message's fields (the log's copy of a finished message, else the
 * pending message itself), with a snapshot cache of its own. Runs on the log store's reader thread.
 */
final class LogQuery {
  private final RocksDB db;
  private final ColumnFamilyHandle events;
  private final ColumnFamilyHandle snapshots;
  private final MessageStore pending;
  private final String tenant;
  private final byte[] prefix;
  private final Query q;
  private final Map<String, Message> snapshotCache = new HashMap<>();

  LogQuery(
      RocksDB db,
      ColumnFamilyHandle events,
      ColumnFamilyHandle snapshots,
      MessageStore pending,
      String tenant,
      Query q) {
    this.db = db;
    this.events = events;
    this.snapshots = snapshots;
    this.pending = pending;
    this.tenant = tenant;
    this.prefix = Keys.tenantPrefix(tenant);
    this.q = q;
  }

  Page run() throws Exception {
    List<LogEntry> out = new ArrayList<>(Math.min(q.count(), 1024));
    long fromPos = q.fromMillis() <= 0 ? 0 : q.fromMillis() << 16;
    long toPos =
        q.toMillis() >= (Long.MAX_VALUE >>> 16) ? Long.MAX_VALUE : (q.toMillis() << 16) | 0xFFFF;
    if (q.latestFirst() && q.after() >= 0) toPos = Math.min(toPos, q.after() - 1);
    if (!q.latestFirst() && q.after() >= 0) fromPos = Math.max(fromPos, q.after() + 1);
    if (fromPos > toPos || q.count() <= 0) return new Page(out, -1);
    int scanned = 0;
    long last = -1;
    try (RocksIterator it = db.newIterator(events)) {
      // the row holding the first wanted position: a row's key is its first entry's position
      it.seekForPrev(LogCodec.key(prefix, q.latestFirst() ? toPos : fromPos));
      if (!q.latestFirst()
          && !(it.isValid()
              && Keys.startsWith(it.key(), prefix)
              && LogCodec.positionOf(it.key(), prefix.length) + LogCodec.countOf(it.value()) - 1
                  >= fromPos)) {
        it.seek(LogCodec.key(prefix, fromPos));
      }
      for (; it.isValid() && Keys.startsWith(it.key(), prefix); step(it)) {
        long first = LogCodec.positionOf(it.key(), prefix.length);
        byte[] value = it.value();
        List<LogCodec.Decoded> row = LogCodec.decodeRow(value, first >>> 16);
        if (q.latestFirst() ? first + row.size() - 1 < fromPos : first > toPos) break;
        for (int k = 0; k < row.size(); k++) {
          int i = q.latestFirst() ? row.size() - 1 - k : k;
          long position = first + i;
          if (position < fromPos || position > toPos) continue;
          if (out.size() == q.count())
            return new Page(out, last); // one more entry exists: there is a next page
          if (scanned == q.scanLimit()) return new Page(out, last);
          scanned++;
          last = position;
          LogEntry entry = entry(position, row.get(i));
          if (q.filter().test(entry)) out.add(entry);
        }
      }
      it.status();
    }
    return new Page(out, -1);
  }

  private void step(RocksIterator it) {
    if (q.latestFirst()) it.prev();
    else it.next();
  }

  private LogEntry entry(long position, LogCodec.Decoded d) throws Exception {
    long time = position >>> 16;
    return new LogEntry(
        position,
        time,
        d.messageId(),
        d.state(),
        d.error(),
        d.nextDeliveryTime(),
        d.response(),
        snapshot(d.messageId()));
  }

  /** The log's snapshot of a finished message, else the pending message itself, else null. */
  private Message snapshot(String messageId) throws Exception {
    if (snapshotCache.containsKey(messageId)) return snapshotCache.get(messageId);
    byte[] value = db.get(snapshots, Keys.message(messageId));
    Message m =
        value != null
            ? MessageCodec.decodeMessage(value)
            : pending.find(tenant, messageId).await(10, TimeUnit.SECONDS).orElse(null);
    if (snapshotCache.size() > 4096) snapshotCache.clear();
    snapshotCache.put(messageId, m);
    return m;
  }
}
