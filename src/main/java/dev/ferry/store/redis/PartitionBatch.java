package dev.ferry.store.redis;

import dev.ferry.model.Message;
import dev.ferry.store.codec.MessageCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The KEYS and ARGV of one script call over the messages of one partition: the partition's fixed
 * keys first, then each queue key once, messages pointing at their queue key by index. Built on the
 * caller's thread (encoding included); not thread-safe.
 */
final class PartitionBatch {
  final int partition;
  final List<String> keys = new ArrayList<>();
  final List<Object> args = new ArrayList<>();
  private final Map<String, Integer> queueKeys = new LinkedHashMap<>();
  private final RedisKeys names;
  private final Partitions partitions;

  PartitionBatch(int partition, RedisKeys names, Partitions partitions, String... fixedKeys) {
    this.partition = partition;
    this.names = names;
    this.partitions = partitions;
    keys.addAll(List.of(fixedKeys));
  }

  /** The 1-based KEYS index of the message's queue key, or 0 when it is unqueued. */
  int queueIndex(Message m) {
    if (!m.queued()) return 0;
    int queuePartition = partitions.ofQueue(m.tenant(), m.queueName());
    if (queuePartition != partition) {
      // a queue's order and purge are one script each only if all its messages share its partition
      throw new IllegalArgumentException(
          "message "
              + m.id()
              + " is in partition "
              + partition
              + " but its queue "
              + m.queueName()
              + " in "
              + queuePartition
              + ": ids must be completed by Stores.messageIds()");
    }
    String key = names.queue(partition, m.tenant(), m.queueName());
    return queueKeys.computeIfAbsent(
        key,
        k -> {
          keys.add(k);
          return keys.size();
        });
  }

  /**
   * id, record, due member (empty when queued), queue key index, tenant: as append.lua reads them.
   */
  void addMessage(Message m) {
    int queue = queueIndex(m);
    args.add(m.id());
    args.add(MessageCodec.encode(m));
    args.add(queue == 0 ? Members.of(m.dueAt(), m.id()) : new byte[0]);
    args.add(queue);
    args.add(m.tenant());
  }

  /** id, queue key index and tenant: as remove.lua reads them. */
  void addRemoval(Message m) {
    args.add(m.id());
    args.add(queueIndex(m));
    args.add(m.tenant());
  }
}
