package dev.ferry.store.redis;

import dev.ferry.model.Message;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deduplication half of {@link RedisMessageStore}. A dedup record lives in the partition of the
 * message it guards, and ingest places a guarded message by its key ({@link Partitions}), so two
 * publishes with one key meet in one partition, where the check and the append are one script. (A
 * queued or flow-controlled message is placed by its queue or key instead, so its duplicates meet
 * only within that queue or key: {@code docs/compatibility.md}.) Non-blocking; thread-safe.
 */
final class RedisDedup {
  private final RedisLink link;
  private final RedisKeys keys;
  private final Partitions partitions;

  RedisDedup(RedisLink link, RedisKeys keys, Partitions partitions) {
    this.link = link;
    this.keys = keys;
    this.partitions = partitions;
  }

  Future<List<String>> append(
      List<Message> messages, List<String> dedupKeys, long nowMillis, long expiresAt) {
    if (messages.isEmpty()) return Future.succeededFuture(List.of());
    Map<Integer, List<Integer>> byPartition = new LinkedHashMap<>();
    for (int i = 0; i < messages.size(); i++) {
      byPartition
          .computeIfAbsent(partitions.ofId(messages.get(i).id()), k -> new ArrayList<>())
          .add(i);
    }
    List<Future<Response>> writes = new ArrayList<>();
    List<List<Integer>> positions = new ArrayList<>();
    try {
      for (Map.Entry<Integer, List<Integer>> part : byPartition.entrySet()) {
        int p = part.getKey();
        PartitionBatch batch =
            new PartitionBatch(
                p,
                keys,
                partitions,
                keys.messages(p),
                keys.due(p),
                keys.ids(p),
                keys.dedup(p),
                keys.dedupExpiry(p),
                keys.pendingCounts(p));
        batch.args.add(nowMillis);
        batch.args.add(expiresAt);
        batch.args.add(part.getValue().size());
        for (int i : part.getValue()) {
          Message m = messages.get(i);
          batch.addMessage(m);
          String key = dedupKeys.get(i);
          batch.args.add(key == null ? "" : field(m.tenant(), key));
        }
        writes.add(link.write(RedisScripts.APPEND_DEDUP, batch.keys, batch.args));
        positions.add(part.getValue());
      }
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return Settled.all(writes)
        .map(
            replies -> {
              String[] originals = new String[messages.size()];
              for (int part = 0; part < replies.size(); part++) {
                List<String> results = RedisMessageStore.strings(replies.get(part));
                List<Integer> at = positions.get(part);
                for (int k = 0; k < at.size(); k++) {
                  String original = results.get(k);
                  originals[at.get(k)] = original == null || original.isEmpty() ? null : original;
                }
              }
              return Arrays.asList(originals);
            });
  }

  /**
   * Goes through the partitions in turn until {@code limit} index rows are processed: not atomic
   * across partitions, and need not be (each row is dropped at most once).
   */
  Future<Integer> purgeExpired(long nowMillis, int limit) {
    return purgeFrom(0, nowMillis, limit, 0);
  }

  private Future<Integer> purgeFrom(int p, long nowMillis, int limit, int processed) {
    if (processed >= limit || p >= partitions.count()) return Future.succeededFuture(processed);
    return link.write(
            RedisScripts.PURGE_DEDUP,
            List.of(keys.dedup(p), keys.dedupExpiry(p)),
            List.of(nowMillis, limit - processed))
        .compose(r -> purgeFrom(p + 1, nowMillis, limit, processed + r.toInteger()));
  }

  /** The dedup record's field: tenant 0 key. */
  private static String field(String tenant, String dedupKey) {
    return tenant + '\0' + dedupKey;
  }
}
