package dev.ferry.store.redis;

import dev.ferry.model.Message;
import dev.ferry.store.codec.MessageCodec;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The tick outbox of the Redis schedule store: the messages of a cron tick that live in another
 * partition than their schedule (a schedule to a queue, or with a flow-control key) are first
 * recorded next to the schedule, in the tick's own script, then copied to their partitions, then
 * cleared. A copy that did not finish (Ferry crashed or Redis went away in between) is done again
 * by the schedule's next tick call, or for every schedule when the cron loads them at start-up. So
 * such a message may be stored twice after a crash, and is never lost. Non-blocking; thread-safe.
 */
final class TickOutbox {
  private final RedisLink link;
  private final RedisKeys keys;
  private final Partitions partitions;
  private final RedisMessageStore messages;

  TickOutbox(RedisLink link, RedisKeys keys, Partitions partitions, RedisMessageStore messages) {
    this.link = link;
    this.keys = keys;
    this.partitions = partitions;
    this.messages = messages;
  }

  /** The outbox field of one schedule. */
  static String field(String tenant, String scheduleId) {
    return tenant + '\0' + scheduleId;
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
                    List.of(keys.tickOutbox(partition)),
                    List.of(field, entry)))
        .mapEmpty();
  }

  /** Finishes every copy left unfinished, partition by partition. */
  Future<Void> copyAll() {
    Future<Void> chain = Future.succeededFuture();
    for (int p = 0; p < partitions.count(); p++) {
      int partition = p;
      chain =
          chain.compose(
              v ->
                  link.send(Request.cmd(Command.HGETALL).arg(keys.tickOutbox(partition)))
                      .compose(entries -> copyEach(partition, entries)));
    }
    return chain;
  }

  private Future<Void> copyEach(int partition, Response entries) {
    List<Future<Void>> copies = new ArrayList<>();
    for (String field : entries.getKeys()) {
      copies.add(copy(partition, field, entries.get(field).toBytes()));
    }
    return RedisMessageStore.settled(copies).mapEmpty();
  }
}
