package dev.ferry.store.redis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Binary members of the store's lex-ordered sorted sets, where Redis compares bytes: a long as 8
 * big-endian bytes with the sign bit flipped (so byte order is numeric order), followed by a
 * string. Pure.
 */
final class Members {
  private Members() {}

  static byte[] of(long value, String suffix) {
    byte[] text = suffix.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + text.length).putLong(value ^ Long.MIN_VALUE).put(text).array();
  }

  static long longOf(byte[] member) {
    return ByteBuffer.wrap(member, 0, 8).getLong() ^ Long.MIN_VALUE;
  }

  static String suffixOf(byte[] member) {
    return new String(member, 8, member.length - 8, StandardCharsets.UTF_8);
  }

  /** A ZRANGEBYLEX bound: {@code '['} (inclusive) or {@code '('} (exclusive) then the member. */
  static byte[] bound(char kind, byte[] member) {
    byte[] out = new byte[member.length + 1];
    out[0] = (byte) kind;
    System.arraycopy(member, 0, out, 1, member.length);
    return out;
  }

  static byte[] bound(char kind, String member) {
    return bound(kind, member.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
