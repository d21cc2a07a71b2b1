package dev.ferry.store.redis;

import dev.ferry.model.DlqEntry;
import dev.ferry.store.DlqStore;
import dev.ferry.store.codec.MessageCodec;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link DlqStore} on Redis. An entry lives in the partition of the message it came from (so the
 * move is one script, see {@link RedisMessageStore#moveToDlq}); each tenant has an index ordered by
 * DLQ id that names each entry's partition ({@link DlqIds}). Index rows are written before and
 * dropped after their entries, so a row may point at nothing after a crash: readers skip it.
 * Non-blocking; thread-safe.
 */
final class RedisDlqStore implements DlqStore {
  private static final byte[] LOWEST = {0, 0};
  private static final byte[] HIGHEST = {(byte) 0xff, (byte) 0xff};

  private final RedisLink link;
  private final RedisKeys keys;
  private final Partitions partitions;

  RedisDlqStore(RedisLink link, RedisKeys keys, Partitions partitions) {
    this.link = link;
    this.keys = keys;
    this.partitions = partitions;
  }

  @Override
  public Future<Optional<DlqEntry>> find(String tenant, String dlqId) {
    return rowsOf(tenant, dlqId)
        .compose(rows -> entries(tenant, rows))
        .map(found -> found.isEmpty() ? Optional.<DlqEntry>empty() : Optional.of(found.get(0)));
  }

  @Override
  public Future<List<DlqEntry>> list(String tenant, String afterDlqId, int limit) {
    if (limit <= 0) return Future.succeededFuture(List.of());
    byte[] min =
        afterDlqId == null
            ? new byte[] {'-'}
            : Members.bound('(', Members.concat(DlqIds.sortForm(afterDlqId), HIGHEST));
    return range(Command.ZRANGEBYLEX, tenant, min, new byte[] {'+'}, limit)
        .compose(rows -> entries(tenant, rows));
  }

  @Override
  public Future<List<DlqEntry>> listNewestFirst(String tenant, String beforeDlqId, int limit) {
    if (limit <= 0) return Future.succeededFuture(List.of());
    byte[] max =
        beforeDlqId == null ? new byte[] {'+'} : Members.bound('(', DlqIds.sortForm(beforeDlqId));
    return range(Command.ZREVRANGEBYLEX, tenant, max, new byte[] {'-'}, limit)
        .compose(rows -> entries(tenant, rows));
  }

  @Override
  public Future<Long> count(String tenant) {
    return link.send(Request.cmd(Command.ZCARD).arg(keys.dlqIndex(tenant))).map(Response::toLong);
  }

  /** The entry first, then its index row (a row without entry is harmless; see the class). */
  @Override
  public Future<Boolean> delete(String tenant, String dlqId) {
    return rowsOf(tenant, dlqId)
        .compose(
            rows -> {
              List<Future<Response>> deletes = new ArrayList<>();
              for (byte[] row : rows) {
                int p = DlqIds.partitionOf(row);
                deletes.add(
                    link.write(
                            RedisScripts.DLQ_DELETE,
                            List.of(keys.dlq(p), keys.dlqExpiry(p)),
                            List.of(DlqIds.field(tenant, dlqId)))
                        .compose(
                            n ->
                                link.send(
                                        Request.cmd(Command.ZREM)
                                            .arg(keys.dlqIndex(tenant))
                                            .arg(row))
                                    .map(n)));
              }
              return Settled.all(deletes)
                  .map(results -> results.stream().anyMatch(r -> r.toLong() > 0));
            });
  }

  @Override
  public Future<List<String>> deleteAll(String tenant, List<String> dlqIds) {
    List<Future<Boolean>> deletes = new ArrayList<>();
    for (String id : dlqIds) deletes.add(delete(tenant, id));
    return Settled.all(deletes)
        .map(
            there -> {
              List<String> out = new ArrayList<>();
              for (int i = 0; i < dlqIds.size(); i++) if (there.get(i)) out.add(dlqIds.get(i));
              return out;
            });
  }

  /** Partition by partition until {@code limit} entries are gone. */
  @Override
  public Future<Integer> expire(long beforeMillis, int limit) {
    return expireFrom(0, beforeMillis, limit, 0);
  }

  private Future<Integer> expireFrom(int p, long beforeMillis, int limit, int removed) {
    if (removed >= limit || p >= partitions.count()) return Future.succeededFuture(removed);
    return link.write(
            RedisScripts.DLQ_EXPIRE,
            List.of(keys.dlq(p), keys.dlqExpiry(p)),
            List.of(beforeMillis, limit - removed))
        .compose(
            fields -> {
              List<Future<Response>> unindexed = new ArrayList<>();
              for (Response f : fields) {
                String field = f.toString();
                int cut = field.indexOf('\0');
                String tenant = field.substring(0, cut);
                unindexed.add(
                    link.send(
                        Request.cmd(Command.ZREM)
                            .arg(keys.dlqIndex(tenant))
                            .arg(DlqIds.indexMember(field.substring(cut + 1), p))));
              }
              int n = fields.size();
              return Settled.all(unindexed)
                  .compose(v -> expireFrom(p + 1, beforeMillis, limit, removed + n));
            });
  }

  /** The index rows of one id (normally one; more only if two replicas minted the same id). */
  private Future<List<byte[]>> rowsOf(String tenant, String dlqId) {
    byte[] form = DlqIds.sortForm(dlqId);
    return range(
        Command.ZRANGEBYLEX,
        tenant,
        Members.bound('[', Members.concat(form, LOWEST)),
        Members.bound('[', Members.concat(form, HIGHEST)),
        10);
  }

  private Future<List<byte[]>> range(
      Command command, String tenant, byte[] from, byte[] to, int limit) {
    return link.send(
            Request.cmd(command)
                .arg(keys.dlqIndex(tenant))
                .arg(from)
                .arg(to)
                .arg("LIMIT")
                .arg(0)
                .arg(limit))
        .map(
            reply -> {
              List<byte[]> rows = new ArrayList<>();
              for (Response r : reply) rows.add(r.toBytes());
              return rows;
            });
  }

  /** The entries the rows point at, in row order; rows whose entry is gone are left out. */
  private Future<List<DlqEntry>> entries(String tenant, List<byte[]> rows) {
    if (rows.isEmpty()) return Future.succeededFuture(List.of());
    List<Future<Response>> reads = new ArrayList<>();
    for (byte[] row : rows) {
      int p = DlqIds.partitionOf(row);
      reads.add(
          link.send(
              Request.cmd(Command.HGET)
                  .arg(keys.dlq(p))
                  .arg(DlqIds.field(tenant, DlqIds.dlqIdOf(row)))));
    }
    return Settled.all(reads)
        .map(
            values -> {
              List<DlqEntry> out = new ArrayList<>();
              for (Response value : values) {
                if (value != null) out.add(MessageCodec.decodeDlqEntry(value.toBytes()));
              }
              return out;
            });
  }
}
