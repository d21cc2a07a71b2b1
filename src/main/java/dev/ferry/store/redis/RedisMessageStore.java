package dev.ferry.store.redis;

import dev.ferry.model.AttemptResult;
import dev.ferry.model.DlqEntry;
import dev.ferry.model.DueEntry;
import dev.ferry.model.Message;
import dev.ferry.store.MessageStore;
import dev.ferry.store.OwnershipLostException;
import dev.ferry.store.codec.MessageCodec;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link MessageStore} on Redis. A message lives in the partition its id names ({@link
 * Partitions}); every state change of the messages of one partition is one Lua script (check still
 * pending + change), so it is atomic. A call spanning partitions (a batch, a cancel of many ids) is
 * one script per partition, run in parallel: all or none holds per partition only, and a failure
 * leaves the other partitions' part written (a duplicate if the client retries, never a loss; see
 * {@code docs/store-contract.md}). Non-blocking; thread-safe.
 */
final class RedisMessageStore implements MessageStore {
  private final RedisLink link;
  private final RedisKeys keys;
  private final Partitions partitions;
  private final RedisDedup dedup;
  private final RedisScans scans;
  private final Fences fences;

  RedisMessageStore(RedisLink link, RedisKeys keys, Partitions partitions, Fences fences) {
    this(link, keys, partitions, fences, p -> true);
  }

  /**
   * @param scanned the partitions whose due index {@link #scanDue} reads: those this replica owns
   */
  RedisMessageStore(
      RedisLink link,
      RedisKeys keys,
      Partitions partitions,
      Fences fences,
      java.util.function.IntPredicate scanned) {
    this.fences = fences;
    this.link = link;
    this.keys = keys;
    this.partitions = partitions;
    this.dedup = new RedisDedup(link, keys, partitions);
    this.scans = new RedisScans(link, keys, partitions, scanned);
  }

  @Override
  public Future<Void> append(List<Message> messages) {
    if (messages.isEmpty()) return Future.succeededFuture();
    List<List<String>> keys = new ArrayList<>();
    List<List<Object>> args = new ArrayList<>();
    try {
      for (Map.Entry<Integer, List<Message>> part : byPartition(messages).entrySet()) {
        PartitionBatch batch = newBatch(part.getKey());
        batch.args.add(part.getValue().size());
        part.getValue().forEach(batch::addMessage);
        keys.add(batch.keys);
        args.add(batch.args);
      }
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    // one script per partition (atomic there), all of them in one pipeline
    return link.writeAll(RedisScripts.APPEND, keys, args);
  }

  @Override
  public Future<List<String>> appendDeduplicated(
      List<Message> messages, List<String> dedupKeys, long nowMillis, long expiresAt) {
    if (messages.size() != dedupKeys.size()) {
      return Future.failedFuture(
          new IllegalArgumentException("one dedup key (or null) per message"));
    }
    return dedup.append(messages, dedupKeys, nowMillis, expiresAt);
  }

  @Override
  public Future<Integer> purgeExpiredDedup(long nowMillis, int limit) {
    return dedup.purgeExpired(nowMillis, limit);
  }

  @Override
  public Future<Optional<Message>> find(String tenant, String messageId) {
    int p = partitions.ofId(messageId);
    return link.send(Request.cmd(Command.HGET).arg(keys.messages(p)).arg(messageId))
        .map(
            r -> {
              if (r == null) return Optional.<Message>empty();
              Message m = MessageCodec.decodeMessage(r.toBytes());
              return m.tenant().equals(tenant) ? Optional.of(m) : Optional.<Message>empty();
            });
  }

  @Override
  public Future<List<Message>> findAll(List<String> messageIds) {
    return scans.findAll(messageIds);
  }

  @Override
  public Future<List<DueEntry>> scanDue(
      long afterDueAt, String afterId, long untilDueAt, int limit) {
    return scans.scanDue(afterDueAt, afterId, untilDueAt, limit);
  }

  @Override
  public Future<List<Message>> scanPending(String afterId, int limit) {
    return scans.scanPending(afterId, limit);
  }

  @Override
  public Future<List<Message>> queueSlice(String tenant, String queue, String afterId, int limit) {
    if (limit <= 0) return Future.succeededFuture(List.of());
    int p = partitions.ofQueue(tenant, queue);
    byte[] start = afterId == null ? new byte[] {'-'} : Members.bound('(', afterId);
    return link.read(
            RedisScripts.QUEUE_SLICE,
            List.of(keys.messages(p), keys.queue(p, tenant, queue)),
            List.of(start, limit))
        .map(RedisMessageStore::decodeAll);
  }

  /**
   * The sum of the tenant's count in every partition: one HGET each, in one batch (one round trip
   * on a single Redis). Not a snapshot across partitions, but every completed write is in it.
   */
  @Override
  public Future<Long> pendingCount(String tenant) {
    List<Request> reads = new ArrayList<>(partitions.count());
    for (int p = 0; p < partitions.count(); p++) {
      reads.add(Request.cmd(Command.HGET).arg(keys.pendingCounts(p)).arg(tenant));
    }
    return link.batch(reads)
        .map(
            replies -> {
              long sum = 0;
              for (Response r : replies) if (r != null) sum += r.toLong();
              return sum;
            });
  }

  /**
   * Counts the pending messages of each partition that has no counts yet (a store written by a
   * Ferry that kept none): one script per partition, in turn, so Redis is blocked by one
   * partition's pass at a time. Safe with several replicas starting at once (see {@code
   * pending_count_init.lua}).
   */
  Future<Long> initPendingCounts() {
    return initPendingCounts(0, 0);
  }

  private Future<Long> initPendingCounts(int p, long counted) {
    if (p >= partitions.count()) return Future.succeededFuture(counted);
    return link.write(
            RedisScripts.PENDING_COUNT_INIT,
            List.of(keys.messages(p), keys.ids(p), keys.pendingCounts(p)),
            List.of())
        .compose(r -> initPendingCounts(p + 1, counted + Math.max(0, r.toLong())));
  }

  @Override
  public Future<Long> queueLength(String tenant, String queue) {
    int p = partitions.ofQueue(tenant, queue);
    return link.send(Request.cmd(Command.ZCARD).arg(keys.queue(p, tenant, queue)))
        .map(Response::toLong);
  }

  @Override
  public Future<Long> purgeQueue(String tenant, String queue) {
    int p = partitions.ofQueue(tenant, queue);
    return link.write(
            RedisScripts.PURGE_QUEUE,
            List.of(
                keys.messages(p), keys.ids(p), keys.queue(p, tenant, queue), keys.pendingCounts(p)),
            List.of(tenant))
        .map(Response::toLong);
  }

  @Override
  public Future<Void> markDelivered(Message message, AttemptResult attempt) {
    return markAllDelivered(List.of(message));
  }

  @Override
  public Future<Void> markAllDelivered(List<Message> delivered) {
    if (delivered.isEmpty()) return Future.succeededFuture();
    List<Future<Response>> writes = new ArrayList<>();
    try {
      for (Map.Entry<Integer, List<Message>> part : byPartition(delivered).entrySet()) {
        String fence = fences.of(part.getKey());
        writes.add(
            fence == null
                ? notOwned(part.getKey())
                : remove(part.getKey(), part.getValue(), "count", fence));
      }
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return Settled.all(writes).mapEmpty();
  }

  @Override
  public Future<Void> reschedule(Message previous, Message updated, AttemptResult attempt) {
    if (!previous.id().equals(updated.id())) {
      return Future.failedFuture(
          new IllegalArgumentException(
              "reschedule must keep the message id: " + previous.id() + " vs " + updated.id()));
    }
    int p = partitions.ofId(updated.id());
    String fence = fences.of(p);
    if (fence == null) return notOwned(p).mapEmpty();
    byte[] due = updated.queued() ? new byte[0] : Members.of(updated.dueAt(), updated.id());
    return link.write(
            RedisScripts.RESCHEDULE,
            List.of(keys.messages(p), keys.due(p), keys.lease(p)),
            List.of(updated.id(), MessageCodec.encode(updated), due, fence))
        .mapEmpty();
  }

  /**
   * The tenant's DLQ index row is written first, then the move (one script in the message's
   * partition): a crash between leaves an index row without entry, which readers skip and drop,
   * rather than an entry no listing shows.
   */
  @Override
  public Future<Void> moveToDlq(Message message, DlqEntry entry) {
    return moveToDlq(message, entry, null, null).mapEmpty();
  }

  /**
   * {@link #moveToDlq(Message, DlqEntry)}, and with a {@code failureField} the same script records
   * {@code failureField → failureValue} in the partition's workflow failures hash (the message's
   * run is to fail; see {@code RedisWorkflowRunStore}). True when the message moved.
   */
  Future<Boolean> moveToDlq(
      Message message, DlqEntry entry, String failureField, String failureValue) {
    int p = partitions.ofId(message.id());
    String fence = fences.of(p);
    if (fence == null) return notOwned(p).mapEmpty();
    String tenant = message.tenant();
    byte[] indexRow = DlqIds.indexMember(entry.dlqId(), p);
    long millis = DlqIds.millisOf(entry.dlqId());
    List<String> scriptKeys =
        new ArrayList<>(
            List.of(
                keys.messages(p),
                keys.due(p),
                keys.ids(p),
                keys.dlq(p),
                keys.dlqExpiry(p),
                message.queued() ? keys.queue(p, tenant, message.queueName()) : keys.due(p),
                keys.lease(p),
                keys.pendingCounts(p)));
    List<Object> args =
        new ArrayList<>(
            List.of(
                message.id(),
                message.queued() ? "1" : "0",
                DlqIds.field(tenant, entry.dlqId()),
                MessageCodec.encode(entry),
                millis < 0 ? "" : String.valueOf(millis),
                fence,
                tenant));
    if (failureField != null) {
      scriptKeys.add(keys.workflowFailures(p));
      args.add(failureField);
      args.add(failureValue);
    }
    Request dropIndexRow = Request.cmd(Command.ZREM).arg(keys.dlqIndex(tenant)).arg(indexRow);
    return link.writeCommand(
            Request.cmd(Command.ZADD).arg(keys.dlqIndex(tenant)).arg(0).arg(indexRow))
        .compose(
            v ->
                link.write(RedisScripts.MOVE_TO_DLQ, scriptKeys, args)
                    .recover(
                        e ->
                            e instanceof OwnershipLostException
                                ? link.send(dropIndexRow)
                                    .transform(ignored -> Future.failedFuture(e))
                                : Future.failedFuture(e)))
        .compose(
            moved ->
                moved.toLong() == 1
                    ? Future.succeededFuture(true)
                    : link.send(dropIndexRow).map(false));
  }

  /**
   * Reads the messages first (tenant and queue never change, so the check cannot go stale), then
   * removes those still pending in one script per partition.
   */
  @Override
  public Future<List<Message>> cancel(String tenant, List<String> messageIds) {
    if (messageIds.isEmpty()) return Future.succeededFuture(List.of());
    return findAll(messageIds)
        .compose(
            found -> {
              List<Message> mine = found.stream().filter(m -> m.tenant().equals(tenant)).toList();
              if (mine.isEmpty()) return Future.succeededFuture(List.<Message>of());
              List<Future<Response>> writes = new ArrayList<>();
              for (Map.Entry<Integer, List<Message>> part : byPartition(mine).entrySet()) {
                writes.add(remove(part.getKey(), part.getValue(), "records", ""));
              }
              return Settled.all(writes)
                  .map(
                      replies -> {
                        Map<String, Message> removed = new LinkedHashMap<>();
                        for (Response reply : replies) {
                          for (Message m : decodeAll(reply)) removed.put(m.id(), m);
                        }
                        List<Message> ordered = new ArrayList<>();
                        for (String id : messageIds) {
                          Message m = removed.remove(id);
                          if (m != null) ordered.add(m);
                        }
                        return ordered;
                      });
            });
  }

  /** {@code fence}: the lease value delivery's removals carry; "" for a cancel (never fenced). */
  private Future<Response> remove(int p, List<Message> messages, String reply, String fence) {
    PartitionBatch batch =
        new PartitionBatch(
            p,
            keys,
            partitions,
            keys.messages(p),
            keys.due(p),
            keys.ids(p),
            keys.lease(p),
            keys.pendingCounts(p));
    batch.args.add(reply);
    batch.args.add(messages.size());
    batch.args.add(fence);
    messages.forEach(batch::addRemoval);
    return link.write(RedisScripts.REMOVE, batch.keys, batch.args);
  }

  /** A delivery write in a partition this process holds no live lease on: refused at once. */
  private static Future<Response> notOwned(int p) {
    return Future.failedFuture(
        new OwnershipLostException("this replica no longer holds partition " + p));
  }

  private PartitionBatch newBatch(int p) {
    return new PartitionBatch(
        p, keys, partitions, keys.messages(p), keys.due(p), keys.ids(p), keys.pendingCounts(p));
  }

  /** Messages grouped by the partition their id names, each group in the given order. */
  private Map<Integer, List<Message>> byPartition(List<Message> messages) {
    Map<Integer, List<Message>> out = new LinkedHashMap<>();
    for (Message m : messages) {
      out.computeIfAbsent(partitions.ofId(m.id()), k -> new ArrayList<>()).add(m);
    }
    return out;
  }

  /** Decodes an array of records, skipping nils and empty strings (ids not pending). */
  static List<Message> decodeAll(Response reply) {
    List<Message> out = new ArrayList<>();
    if (reply == null) return out;
    for (Response r : reply) {
      if (r == null) continue;
      byte[] bytes = r.toBytes();
      if (bytes != null && bytes.length > 0) out.add(MessageCodec.decodeMessage(bytes));
    }
    return out;
  }

  static List<String> strings(Response reply) {
    List<String> out = new ArrayList<>();
    if (reply != null) for (Response r : reply) out.add(r == null ? null : r.toString());
    return out;
  }
}
