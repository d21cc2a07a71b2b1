package dev.ferry.store.redis;

import dev.ferry.model.DueEntry;
import dev.ferry.model.Message;
import dev.ferry.store.codec.MessageCodec;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * The reads of {@link RedisMessageStore} that span partitions: lookups of many ids, and the scans
 * of the due index and of every pending message, which ask each partition for up to {@code limit}
 * rows (in parallel) and merge. The due index is read only in the partitions {@code scanned} names
 * (a replica's own: what it delivers); lookups and the pending scan read every partition.
 * Non-blocking; thread-safe.
 */
final class RedisScans {
  private final RedisLink link;
  private final RedisKeys keys;
  private final Partitions partitions;
  private final IntPredicate scanned;

  RedisScans(RedisLink link, RedisKeys keys, Partitions partitions, IntPredicate scanned) {
    this.link = link;
    this.keys = keys;
    this.partitions = partitions;
    this.scanned = scanned;
  }

  Future<List<Message>> findAll(List<String> messageIds) {
    if (messageIds.isEmpty()) return Future.succeededFuture(List.of());
    Map<Integer, List<String>> byPartition = new LinkedHashMap<>();
    for (String id : messageIds) {
      byPartition.computeIfAbsent(partitions.ofId(id), k -> new ArrayList<>()).add(id);
    }
    List<Future<Response>> reads = new ArrayList<>();
    List<List<String>> asked = new ArrayList<>();
    for (Map.Entry<Integer, List<String>> part : byPartition.entrySet()) {
      Request hmget = Request.cmd(Command.HMGET).arg(keys.messages(part.getKey()));
      part.getValue().forEach(hmget::arg);
      reads.add(link.send(hmget));
      asked.add(part.getValue());
    }
    return Settled.all(reads)
        .map(
            replies -> {
              Map<String, Message> found = new HashMap<>();
              for (int part = 0; part < replies.size(); part++) {
                Response reply = replies.get(part);
                List<String> ids = asked.get(part);
                for (int k = 0; k < ids.size(); k++) {
                  Response value = reply.get(k);
                  if (value != null)
                    found.put(ids.get(k), MessageCodec.decodeMessage(value.toBytes()));
                }
              }
              List<Message> ordered = new ArrayList<>();
              for (String id : messageIds) {
                Message m = found.get(id);
                if (m != null) ordered.add(m);
              }
              return ordered;
            });
  }

  Future<List<DueEntry>> scanDue(long afterDueAt, String afterId, long untilDueAt, int limit) {
    if (limit <= 0 || afterDueAt > untilDueAt) return Future.succeededFuture(List.of());
    byte[] min =
        afterId.isEmpty()
            ? Members.bound('[', Members.of(afterDueAt, ""))
            : Members.bound('(', Members.of(afterDueAt, afterId));
    byte[] max =
        untilDueAt == Long.MAX_VALUE
            ? new byte[] {'+'}
            : Members.bound('(', Members.of(untilDueAt + 1, ""));
    List<Future<Response>> reads = new ArrayList<>();
    for (int p = 0; p < partitions.count(); p++) {
      if (!scanned.test(p)) continue;
      reads.add(
          link.send(
              Request.cmd(Command.ZRANGEBYLEX)
                  .arg(keys.due(p))
                  .arg(min)
                  .arg(max)
                  .arg("LIMIT")
                  .arg(0)
                  .arg(limit)));
    }
    return Settled.all(reads)
        .map(
            replies -> {
              List<DueEntry> all = new ArrayList<>();
              for (Response reply : replies) {
                for (Response member : reply) {
                  byte[] bytes = member.toBytes();
                  all.add(new DueEntry(Members.longOf(bytes), Members.suffixOf(bytes)));
                }
              }
              all.sort(null);
              return all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
            });
  }

  Future<List<Message>> scanPending(String afterId, int limit) {
    if (limit <= 0) return Future.succeededFuture(List.of());
    byte[] min = afterId == null ? new byte[] {'-'} : Members.bound('(', afterId);
    List<Future<Response>> reads = new ArrayList<>();
    for (int p = 0; p < partitions.count(); p++) {
      reads.add(
          link.send(
              Request.cmd(Command.ZRANGEBYLEX)
                  .arg(keys.ids(p))
                  .arg(min)
                  .arg("+")
                  .arg("LIMIT")
                  .arg(0)
                  .arg(limit)));
    }
    return Settled.all(reads)
        .compose(
            replies -> {
              List<String> ids = new ArrayList<>();
              for (Response reply : replies) {
                for (Response id : reply) ids.add(id.toString());
              }
              ids.sort(null);
              return findAll(ids.size() > limit ? ids.subList(0, limit) : ids);
            });
  }
}
