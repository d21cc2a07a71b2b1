package dev.ferry.store.redis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * DLQ ids in the Redis store. A tenant's DLQ index orders entries by id: {@code <millis>-<seq>}
 * becomes a 0 marker and both numbers as 8 big-endian bytes (so "123-10" sorts after "123-9"), any
 * other id a 1 marker, its UTF-8 bytes and a 0 terminator (after every parsed id). An index member
 * is that form plus 2 bytes naming the partition that holds the entry. Pure.
 */
final class DlqIds {
  private DlqIds() {}

  /** The order-preserving form of a DLQ id. */
  static byte[] sortForm(String dlqId) {
    long millis = millisOf(dlqId);
    if (millis >= 0) {
      long seq = parseDigits(dlqId, dlqId.indexOf('-') + 1, dlqId.length());
      return ByteBuffer.allocate(17).put((byte) 0).putLong(millis).putLong(seq).array();
    }
    byte[] text = dlqId.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[text.length + 2];
    out[0] = 1;
    System.arraycopy(text, 0, out, 1, text.length);
    return out; // last byte stays 0: the terminator
  }

  static byte[] indexMember(String dlqId, int partition) {
    byte[] form = sortForm(dlqId);
    byte[] out = Arrays.copyOf(form, form.length + 2);
    out[form.length] = (byte) (partition >>> 8);
    out[form.length + 1] = (byte) partition;
    return out;
  }

  static int partitionOf(byte[] member) {
    return ((member[member.length - 2] & 0xff) << 8) | (member[member.length - 1] & 0xff);
  }

  static String dlqIdOf(byte[] member) {
    if (member[0] == 0) {
      ByteBuffer b = ByteBuffer.wrap(member, 1, 16);
      return b.getLong() + "-" + b.getLong();
    }
    return new String(member, 1, member.length - 4, StandardCharsets.UTF_8);
  }

  /** The millis of a {@code <millis>-<seq>} id, or -1 for any other id. */
  static long millisOf(String dlqId) {
    int dash = dlqId.indexOf('-');
    if (dash <= 0) return -1;
    long millis = parseDigits(dlqId, 0, dash);
    return millis >= 0 && parseDigits(dlqId, dash + 1, dlqId.length()) >= 0 ? millis : -1;
  }

  /** The entry's field in its partition's DLQ hash (and expiry index): tenant 0 dlqId. */
  static String field(String tenant, String dlqId) {
    return tenant + '\0' + dlqId;
  }

  /** Canonical decimal digits only (no sign, no leading zero), at most 18. */
  private static long parseDigits(String s, int from, int to) {
    if (to <= from || to - from > 18 || (to - from > 1 && s.charAt(from) == '0')) return -1;
    long v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') return -1;
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
