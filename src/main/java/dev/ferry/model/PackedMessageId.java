package dev.ferry.model;

/**
 * Packs a Ferry message id ({@code msg_} + 11 base62 characters of a 64-bit counter + 8 random
 * base62 characters, see {@code ingest.Ids}) into two longs and back, so that structures holding
 * very many ids (the scheduler's due index) need 16 bytes per id instead of a String object. Ids of
 * any other shape do not pack; callers keep those as strings. Pure; thread-safe.
 */
public final class PackedMessageId {
  private static final String PREFIX = "msg_";
  private static final int COUNTER_WIDTH = 11;
  private static final int RANDOM_WIDTH = 8;
  private static final int LENGTH = PREFIX.length() + COUNTER_WIDTH + RANDOM_WIDTH;
  private static final char[] BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

  private PackedMessageId() {}

  /**
   * The counter part of {@code id}, or -1 when the id does not pack (check with {@link #packs}).
   */
  public static long high(String id) {
    return decode(id, PREFIX.length(), COUNTER_WIDTH);
  }

  /** The random part of {@code id}. */
  public static long low(String id) {
    return decode(id, PREFIX.length() + COUNTER_WIDTH, RANDOM_WIDTH);
  }

  /**
   * Whether {@code id} has the shape Ferry mints and so round-trips through {@link #high}/{@link
   * #low}.
   */
  public static boolean packs(String id) {
    return id.length() == LENGTH && id.startsWith(PREFIX) && high(id) >= 0 && low(id) >= 0;
  }

  public static String unpack(long high, long low) {
    char[] out = new char[LENGTH];
    PREFIX.getChars(0, PREFIX.length(), out, 0);
    write(high, out, PREFIX.length(), COUNTER_WIDTH);
    write(low, out, PREFIX.length() + COUNTER_WIDTH, RANDOM_WIDTH);
    return new String(out);
  }

  private static long decode(String id, int from, int width) {
    if (id.length() < from + width) return -1;
    long value = 0;
    for (int i = from; i < from + width; i++) {
      int digit = digit(id.charAt(i));
      if (digit < 0 || value > (Long.MAX_VALUE - digit) / 62)
        return -1; // not base62, or overflows a long
      value = value * 62 + digit;
    }
    return value;
  }

  private static int digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    if (c >= 'a' && c <= 'z') return c - 'a' + 36;
    return -1;
  }

  private static void write(long value, char[] out, int offset, int width) {
    long v = value;
    for (int i = offset + width - 1; i >= offset; i--) {
      out[i] = BASE62[(int) (v % 62)];
      v /= 62;
    }
  }
}
