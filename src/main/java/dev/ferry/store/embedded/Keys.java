package dev.ferry.store.embedded;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Key layouts of every column family. RocksDB compares keys as unsigned bytes, so each layout is
 * chosen to make that byte order the order the store needs. Names (tenant, queue, group) are joined
 * with a 0 byte, which QStash names cannot contain, so one tenant's prefix never matches another's.
 * Pure functions, any thread.
 */
final class Keys {
  static final byte[] EMPTY = new byte[0];
  private static final byte SEP = 0;
  private static final byte DLQ_PARSED = 0;
  private static final byte DLQ_RAW = 1;
  private static final byte DEDUP_RECORD = 0;
  private static final byte DEDUP_EXPIRY = 1;

  private Keys() {}

  /** messages: the message id. */
  static byte[] message(String messageId) {
    return utf8(messageId);
  }

  /**
   * due: 8-byte big-endian dueAt with the sign bit flipped (so negative cursors such as
   * Long.MIN_VALUE sort before every real time), then the message id.
   */
  static byte[] due(long dueAt, String messageId) {
    byte[] id = utf8(messageId);
    byte[] key = new byte[8 + id.length];
    writeLong(key, 0, dueAt ^ Long.MIN_VALUE);
    System.arraycopy(id, 0, key, 8, id.length);
    return key;
  }

  static long dueAtOf(byte[] dueKey) {
    return readLong(dueKey, 0) ^ Long.MIN_VALUE;
  }

  static String dueIdOf(byte[] dueKey) {
    return new String(dueKey, 8, dueKey.length - 8, StandardCharsets.UTF_8);
  }

  /**
   * queue positions: tenant 0 queue 0 messageId; ids sort by creation (a delayed one by its due
   * time), so this is FIFO by when each message joined the queue.
   */
  static byte[] queuePosition(String tenant, String queue, String messageId) {
    return concat(queuePrefix(tenant, queue), utf8(messageId));
  }

  static byte[] queuePrefix(String tenant, String queue) {
    return concat(utf8(tenant), new byte[] {SEP}, utf8(queue), new byte[] {SEP});
  }

  /** The message id at the end of a queue-position key with the given prefix length. */
  static String suffixOf(byte[] key, int prefixLength) {
    return new String(key, prefixLength, key.length - prefixLength, StandardCharsets.UTF_8);
  }

  /**
   * The (tenant, queue) part of a queue-position key, as the string {@link QueueCounters} keys by.
   */
  static String[] tenantAndQueueOf(byte[] positionKey) {
    int first = indexOf(positionKey, 0);
    int second = indexOf(positionKey, first + 1);
    return new String[] {
      new String(positionKey, 0, first, StandardCharsets.UTF_8),
      new String(positionKey, first + 1, second - first - 1, StandardCharsets.UTF_8)
    };
  }

  /** queues and URL groups: tenant 0 name, so one tenant's records are one range sorted by name. */
  static byte[] named(String tenant, String name) {
    return concat(utf8(tenant), new byte[] {SEP}, utf8(name));
  }

  /** Every key of one tenant starts with this (queues, URL groups, DLQ). */
  static byte[] tenantPrefix(String tenant) {
    return concat(utf8(tenant), new byte[] {SEP});
  }

  /** signing keys: the tenant name. */
  static byte[] tenant(String tenant) {
    return utf8(tenant);
  }

  /**
   * dlq: tenant 0 then the dlqId in an order-preserving form. A dlqId {@code <unixMillis>-<seq>}
   * becomes a 0 marker and both numbers as 8-byte big-endian, so "123-10" sorts after "123-9";
   * anything else becomes a 1 marker and its raw bytes (after every parsed id), the markers keeping
   * the two forms from colliding.
   */
  static byte[] dlq(String tenant, String dlqId) {
    return concat(tenantPrefix(tenant), dlqId(dlqId));
  }

  static byte[] dlqId(String dlqId) {
    int dash = dlqId.indexOf('-');
    long millis = dash > 0 ? parseDigits(dlqId, 0, dash) : -1;
    long seq = millis >= 0 ? parseDigits(dlqId, dash + 1, dlqId.length()) : -1;
    if (seq < 0) {
      return concat(new byte[] {DLQ_RAW}, utf8(dlqId));
    }
    byte[] key = new byte[17];
    key[0] = DLQ_PARSED;
    writeLong(key, 1, millis);
    writeLong(key, 9, seq);
    return key;
  }

  /** dedup records: a 0 marker, then tenant 0 dedup key (one point lookup per guarded message). */
  static byte[] dedup(String tenant, String dedupKey) {
    return concat(new byte[] {DEDUP_RECORD}, tenantPrefix(tenant), utf8(dedupKey));
  }

  /**
   * dedup expiry index, in the same column family: a 1 marker, expiresAt as in {@link #due}, then
   * the record key without its marker. Every index row sorts after every record, and the rows by
   * expiry, so the purge reads the expired ones as one range starting at {@link
   * #DEDUP_EXPIRY_START}.
   */
  static byte[] dedupExpiry(long expiresAt, byte[] dedupRecordKey) {
    byte[] key = new byte[1 + 8 + dedupRecordKey.length - 1];
    key[0] = DEDUP_EXPIRY;
    writeLong(key, 1, expiresAt ^ Long.MIN_VALUE);
    System.arraycopy(dedupRecordKey, 1, key, 9, dedupRecordKey.length - 1);
    return key;
  }

  static final byte[] DEDUP_EXPIRY_START = {DEDUP_EXPIRY};

  static boolean isDedupExpiry(byte[] key) {
    return key.length >= 9 && key[0] == DEDUP_EXPIRY;
  }

  static long dedupExpiresAtOf(byte[] expiryKey) {
    return readLong(expiryKey, 1) ^ Long.MIN_VALUE;
  }

  /** The record key an expiry-index row points at. */
  static byte[] dedupRecordOf(byte[] expiryKey) {
    byte[] key = new byte[expiryKey.length - 8];
    key[0] = DEDUP_RECORD;
    System.arraycopy(expiryKey, 9, key, 1, expiryKey.length - 9);
    return key;
  }

  /**
   * A dedup record's value: expiresAt (8 bytes big-endian), then the id of the message holding the
   * key.
   */
  static byte[] dedupValue(long expiresAt, String messageId) {
    byte[] id = utf8(messageId);
    byte[] value = new byte[8 + id.length];
    writeLong(value, 0, expiresAt);
    System.arraycopy(id, 0, value, 8, id.length);
    return value;
  }

  static long dedupValueExpiresAt(byte[] value) {
    return readLong(value, 0);
  }

  static String dedupValueMessageId(byte[] value) {
    return new String(value, 8, value.length - 8, StandardCharsets.UTF_8);
  }

  /**
   * Default column family: marks that the per-tenant pending counts exist (a store written before
   * them has none; see {@link PendingCounts}).
   */
  static final byte[] PENDING_COUNTS_BUILT = utf8("ferry.pending-counts");

  /**
   * Default column family: marks that due rows are written only where {@link DueRows} asks (a store
   * written before then has redundant ones; see {@link RedundantDueRows}).
   */
  static final byte[] DUE_ROWS_SEPARATE_ONLY = utf8("ferry.due-rows-separate-only");

  /** Default column family: prefix of each tenant's pending-count row. */
  static final byte[] PENDING_COUNT_PREFIX = utf8("ferry.pending-count\0");

  /** Default column family: the tenant's pending count, an 8-byte big-endian value. */
  static byte[] pendingCount(String tenant) {
    return concat(PENDING_COUNT_PREFIX, utf8(tenant));
  }

  static String pendingCountTenantOf(byte[] key) {
    return suffixOf(key, PENDING_COUNT_PREFIX.length);
  }

  static byte[] longValue(long v) {
    byte[] value = new byte[8];
    writeLong(value, 0, v);
    return value;
  }

  static long longOf(byte[] value) {
    return readLong(value, 0);
  }

  static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Canonical non-negative decimal digits only (at most 18, so no overflow; no leading zero, so
   * "123-09" stays raw and cannot collide with "123-9"); -1 when the text is anything else.
   */
  private static long parseDigits(String s, int from, int to) {
    if (to <= from || to - from > 18 || (to - from > 1 && s.charAt(from) == '0')) {
      return -1;
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static int indexOf(byte[] key, int from) {
    for (int i = from; i < key.length; i++) {
      if (key[i] == SEP) {
        return i;
      }
    }
    throw new IllegalStateException("malformed key: missing separator");
  }

  private static void writeLong(byte[] to, int at, long v) {
    for (int i = 0; i < 8; i++) {
      to[at + i] = (byte) (v >>> (56 - 8 * i));
    }
  }

  private static long readLong(byte[] from, int at) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (from[at + i] & 0xFF);
    }
    return v;
  }

  private static byte[] concat(byte[]... parts) {
    int len = 0;
    for (byte[] p : parts) {
      len += p.length;
    }
    byte[] out = new byte[len];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
