package dev.ferry.store.redis;

import dev.ferry.model.LogEntry;
import dev.ferry.model.Message;
import dev.ferry.store.LogStore.Page;
import dev.ferry.store.LogStore.Query;
import dev.ferry.store.MessageStore;
import dev.ferry.store.codec.LogCodec;
import dev.ferry.store.codec.MessageCodec;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One query of {@link RedisLogStore}: reads the tenant's stream a chunk of rows at a time in either
 * direction between positions, joins each entry with its message (the log's snapshot of a finished
 * message, else the pending message itself), and filters, as the embedded log's query does.
 * Non-blocking; one instance per query, confined to the caller's context.
 */
final class RedisLogQuery {
  private static final int CHUNK_ROWS = 128;

  /** Most entries whose messages one read joins. */
  private static final int JOIN_SLICE = 256;

  private final RedisLink link;
  private final RedisKeys keys;
  private final MessageStore pending;
  private final String tenant;
  private final Query q;
  private final List<LogEntry> out = new ArrayList<>();
  private long fromPos;
  private long toPos;
  private int scanned;
  private long last = -1;

  /** A row as stored: its first position and its entries. */
  private record Row(String id, long first, List<LogCodec.Decoded> entries) {}

  RedisLogQuery(RedisLink link, RedisKeys keys, MessageStore pending, String tenant, Query q) {
    this.link = link;
    this.keys = keys;
    this.pending = pending;
    this.tenant = tenant;
    this.q = q;
  }

  Future<Page> run() {
    fromPos = q.fromMillis() <= 0 ? 0 : q.fromMillis() << 16;
    toPos =
        q.toMillis() >= (Long.MAX_VALUE >>> 16) ? Long.MAX_VALUE : (q.toMillis() << 16) | 0xFFFF;
    if (q.latestFirst() && q.after() >= 0) toPos = Math.min(toPos, q.after() - 1);
    if (!q.latestFirst() && q.after() >= 0) fromPos = Math.max(fromPos, q.after() + 1);
    if (fromPos > toPos || q.count() <= 0) return Future.succeededFuture(new Page(out, -1));
    if (q.latestFirst()) {
      return chunk(Command.XREVRANGE, toPos == Long.MAX_VALUE ? "+" : idOf(toPos), "-");
    }
    // the row holding fromPos may start before it (a row of CREATED entries)
    return rows(Command.XREVRANGE, idOf(fromPos), "-", 1)
        .compose(
            before -> {
              boolean covers =
                  !before.isEmpty()
                      && before.get(0).first() + before.get(0).entries().size() - 1 >= fromPos;
              return chunk(Command.XRANGE, covers ? before.get(0).id() : idOf(fromPos), "+");
            });
  }

  /** Reads rows from {@code start} on and goes through them; then the next chunk, if needed. */
  private Future<Page> chunk(Command direction, String start, String end) {
    return rows(direction, start, end, CHUNK_ROWS)
        .compose(
            rows -> {
              List<Candidate> candidates = new ArrayList<>();
              boolean rangeEnded = candidates(rows, candidates);
              boolean more = !rangeEnded && rows.size() == CHUNK_ROWS;
              return slices(candidates, 0)
                  .compose(
                      page -> {
                        if (page != null) return Future.succeededFuture(page);
                        if (!more) return Future.succeededFuture(new Page(out, -1));
                        return chunk(direction, "(" + rows.get(rows.size() - 1).id(), end);
                      });
            });
  }

  /** One entry inside the wanted range, in visiting order. */
  private record Candidate(long position, LogCodec.Decoded decoded) {}

  /**
   * Adds the rows' entries within the range to {@code out} in visiting order; true when a row past
   * the range was reached (nothing after it can be wanted).
   */
  private boolean candidates(List<Row> rows, List<Candidate> out) {
    for (Row row : rows) {
      long first = row.first();
      int n = row.entries().size();
      if (q.latestFirst() ? first + n - 1 < fromPos : first > toPos) return true;
      for (int k = 0; k < n; k++) {
        int i = q.latestFirst() ? n - 1 - k : k;
        long position = first + i;
        if (position >= fromPos && position <= toPos) {
          out.add(new Candidate(position, row.entries().get(i)));
        }
      }
    }
    return false;
  }

  /**
   * Joins and visits the candidates a slice at a time (a row of CREATED entries holds thousands),
   * so a page reads the messages of about the entries it examines.
   */
  private Future<Page> slices(List<Candidate> candidates, int from) {
    if (from >= candidates.size()) return Future.succeededFuture(null);
    List<Candidate> slice =
        candidates.subList(from, Math.min(candidates.size(), from + JOIN_SLICE));
    return messages(slice)
        .compose(
            found -> {
              Page page = visit(slice, found);
              return page != null
                  ? Future.succeededFuture(page)
                  : slices(candidates, from + JOIN_SLICE);
            });
  }

  /** Goes through entries as the embedded query does; null when more are needed. */
  private Page visit(List<Candidate> slice, Map<String, Message> messages) {
    for (Candidate c : slice) {
      if (out.size() == q.count()) return new Page(out, last); // one more exists: a next page
      if (scanned == q.scanLimit()) return new Page(out, last);
      scanned++;
      last = c.position();
      LogCodec.Decoded d = c.decoded();
      LogEntry entry =
          new LogEntry(
              c.position(),
              c.position() >>> 16,
              d.messageId(),
              d.state(),
              d.error(),
              d.nextDeliveryTime(),
              d.response(),
              messages.get(d.messageId()));
      if (q.filter().test(entry)) out.add(entry);
    }
    return null;
  }

  private Future<List<Row>> rows(Command direction, String start, String end, int count) {
    return link.send(
            Request.cmd(direction)
                .arg(keys.logStream(tenant))
                .arg(start)
                .arg(end)
                .arg("COUNT")
                .arg(count))
        .map(
            reply -> {
              List<Row> rows = new ArrayList<>();
              for (Response r : reply) {
                String id = r.get(0).toString();
                long first = positionOf(id);
                Response fields = r.get(1);
                byte[] value = null;
                for (int j = 0; j + 1 < fields.size(); j += 2) {
                  if ("v".equals(fields.get(j).toString())) value = fields.get(j + 1).toBytes();
                }
                if (value != null) {
                  rows.add(new Row(id, first, LogCodec.decodeRow(value, first >>> 16)));
                }
              }
              return rows;
            });
  }

  /** The message of every entry: the log's snapshot, else the pending message, else absent. */
  private Future<Map<String, Message>> messages(List<Candidate> slice) {
    Set<String> ids = new LinkedHashSet<>();
    for (Candidate c : slice) ids.add(c.decoded().messageId());
    Map<String, Message> found = new HashMap<>();
    if (ids.isEmpty()) return Future.succeededFuture(found);
    List<String> asked = new ArrayList<>(ids);
    Request hmget = Request.cmd(Command.HMGET).arg(keys.logSnapshots(tenant));
    asked.forEach(hmget::arg);
    return link.send(hmget)
        .compose(
            reply -> {
              List<String> missing = new ArrayList<>();
              for (int i = 0; i < asked.size(); i++) {
                Response value = reply.get(i);
                if (value != null)
                  found.put(asked.get(i), MessageCodec.decodeMessage(value.toBytes()));
                else missing.add(asked.get(i));
              }
              return missing.isEmpty()
                  ? Future.succeededFuture(List.<Message>of())
                  : pending.findAll(missing);
            })
        .map(
            stillPending -> {
              for (Message m : stillPending) if (m.tenant().equals(tenant)) found.put(m.id(), m);
              return found;
            });
  }

  static String idOf(long position) {
    return (position >>> 16) + "-" + (position & 0xFFFF);
  }

  static long positionOf(String id) {
    int dash = id.indexOf('-');
    return (Long.parseLong(id.substring(0, dash)) << 16) | Long.parseLong(id.substring(dash + 1));
  }
}
