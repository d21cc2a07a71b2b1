package dev.ferry.store.redis;

import dev.ferry.store.MessageIds;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The partition function of the Redis store: which of the fixed {@code count} partitions a message
 * lives in, and how a message id names its partition. Pure and thread-safe.
 *
 * <p>A new message's partition follows the first of these it has: its queue (tenant, queue), so a
 * queue's FIFO order lives in one partition; its flow-control key (tenant, key); its dedup key
 * (tenant, key), so two publishes with one dedup id always meet in one partition; its schedule id;
 * else its minted id. The hash is CRC32 of the UTF-8 bytes (parts joined by a 0 byte) modulo {@code
 * count}: stable across releases and JVMs, which it must be since it is stored in every id.
 *
 * <p>Ids minted while the Redis store is active are {@code msg_} + 19 base62 characters (see {@code
 * ingest.Ids}) + 2 base62 characters naming the partition, so {@code find} and {@code cancel}
 * locate a message from its id alone. Any other id (a test's, or one from before) maps to {@code
 * hash(id)}.
 */
public final class Partitions {
  static final int MINTED_LENGTH = 4 + 11 + 8;
  static final int ID_LENGTH = MINTED_LENGTH + 2;
  private static final char[] BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

  private final int count;

  public Partitions(int count) {
    if (count < 1 || count > 62 * 62) {
      throw new IllegalArgumentException("partitions must be in 1..3844, got " + count);
    }
    this.count = count;
  }

  public int count() {
    return count;
  }

  /** Where a new message goes (see the class comment for the order). */
  public int of(MessageIds.Placement p, String mintedId) {
    if (p.queue() != null) return ofQueue(p.tenant(), p.queue());
    if (p.flowKey() != null) return ofFlowControlKey(p.tenant(), p.flowKey());
    if (p.dedupKey() != null) return hash(p.tenant(), p.dedupKey());
    if (p.scheduleId() != null) return ofSchedule(p.scheduleId());
    return hash(mintedId);
  }

  /** The partition holding a queue's messages and FIFO order. */
  public int ofQueue(String tenant, String queue) {
    return hash(tenant, queue);
  }

  /**
   * The partition holding a flow-control key's unqueued messages: its owner runs the key's lane.
   */
  public int ofFlowControlKey(String tenant, String key) {
    return hash(tenant, key);
  }

  /**
   * The partition holding a schedule, and the messages of its ticks that have no queue,
   * flow-control key or dedup key of their own.
   */
  public int ofSchedule(String scheduleId) {
    return hash(scheduleId);
  }

  /** The partition holding a workflow run and its steps. */
  public int ofWorkflowRun(String tenant, String runId) {
    return hash(tenant, runId);
  }

  /** The partition a message id names (or {@code hash(id)} for ids without one). */
  public int ofId(String id) {
    if (id.length() == ID_LENGTH && id.startsWith("msg_")) {
      int high = digit(id.charAt(ID_LENGTH - 2));
      int low = digit(id.charAt(ID_LENGTH - 1));
      if (high >= 0 && low >= 0) {
        int partition = high * 62 + low;
        if (partition < count) return partition;
      }
    }
    return hash(id);
  }

  /** {@code minted} with the partition appended, when it has the shape Ferry mints. */
  public String withPartition(String minted, int partition) {
    if (minted.length() != MINTED_LENGTH || !minted.startsWith("msg_")) return minted;
    return minted + BASE62[partition / 62] + BASE62[partition % 62];
  }

  private int hash(String... parts) {
    CRC32 crc = new CRC32();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) crc.update(0);
      crc.update(parts[i].getBytes(StandardCharsets.UTF_8));
    }
    return (int) (crc.getValue() % count);
  }

  private static int digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    if (c >= 'a' && c <= 'z') return c - 'a' + 36;
    return -1;
  }
}
