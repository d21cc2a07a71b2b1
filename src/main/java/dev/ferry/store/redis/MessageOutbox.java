package dev.ferry.store.redis;

import dev.ferry.model.Message;
import dev.ferry.store.codec.MessageCodec;
import io.vertx.core.Future;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * An outbox of the Redis store: messages written together with a record of another partition (a
 * cron tick's messages next to their schedule; a workflow step's messages next to their run) that
 * live in another partition (a queue's, a flow-control key's) are first recorded in the outbox of
 * the record's partition, in the record's own script, then copied to their partitions, then
 * cleared. A copy that did not finish (Ferry crashed or Redis went away in between) is done again
 * by the record's next write, or for every entry at start-up ({@link #copyAll}). So such a message
 * may be stored twice after a crash, and is never lost. One instance per outbox hash (the tick
 * outbox, the workflow outbox). Non-blocking; thread-safe.
 */
final class MessageOutbox {
  private final RedisLink link;
  private final Partitions partitions;
  private final RedisMessageStore messages;
  private final IntFunction<String> outboxKey;

  /**
   * @param outboxKey the outbox hash of a partition
   */
  MessageOutbox(
      RedisLink link,
      Partitions partitions,
      RedisMessageStore messages,
      IntFunction<String> outboxKey) {
    this.link = link;
    this.partitions = partitions;
    this.messages = messages;
    this.outboxKey = outboxKey;
  }

  /** The outbox field of one schedule or run. */
  static String field(String tenant, String id) {
    return tenant + '\0' + id;
  }

  /**
   * Records as the outbox holds them: each a 4-byte length, then its {@link MessageCodec} bytes.
   */
  static byte[] encode(List<Message> produced) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Message m : produced) {
      byte[] record = MessageCodec.encode(m);
      out.writeBytes(ByteBuffer.allocate(4).putInt(record.length).array());
      out.writeBytes(record);
    }
    return out.toByteArray();
  }

  static List<Message> decode(byte[] entry) {
    List<Message> out = new ArrayList<>();
    ByteBuffer in = ByteBuffer.wrap(entry);
    while (in.remaining() >= 4) {
      byte[] record = new byte[in.getInt()];
      in.get(record);
      out.add(MessageCodec.decodeMessage(record));
    }
    return out;
  }

  /**
   * Stores the entry's messages in their partitions (as {@code MessageStore.append} does; storing
   * one again is harmless while it is pending), then clears the entry unless it changed meanwhile.
   */
  Future<Void> copy(int partition, String field, byte[] entry) {
    if (entry.length == 0) return Future.succeededFuture();
    List<Message> stranded;
    try {
      stranded = decode(entry);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return messages
        .append(stranded)
        .compose(
            v ->
                link.write(
                    RedisScripts.TICK_OUTBOX_CLEAR,
                    List.of(outboxKey.apply(partition)),
                    List.of(field, entry)))
        .mapEmpty();
  }

  /** Finishes every copy left unfinished, partition by partition. */
  Future<Void> copyAll() {
    return HashSweep.eachEntry(
        link,
        partitions.count(),
        outboxKey,
        (partition, field, entry) -> copy(partition, field, entry.toBytes()));
  }
}
