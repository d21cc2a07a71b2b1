package dev.ferry.ingest;

import dev.ferry.model.PackedMessageId;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generates every id Ferry hands out: message ids, DLQ ids, signing keys and JWT ids. Thread-safe
 * and lock-free; called by ingest for each stored message, by delivery for DLQ entries and JWTs,
 * and at tenant setup for keys.
 *
 * <p>Shapes (docs/compatibility.md#ids) and the decisions behind them:
 *
 * <ul>
 *   <li>Message id: {@code msg_} + 11 base62 characters of a strictly increasing 64-bit value
 *       {@code max(previous + 1, currentTimeMillis << 16)} + 8 random base62 characters. The
 *       alphabet {@code 0-9A-Za-z} is in ASCII order and the width is fixed, so sorting ids as
 *       strings sorts them by creation, even within one millisecond (up to 65 536 per ms before the
 *       counter runs ahead of the clock, which keeps it unique and ordered). This is what keeps
 *       FIFO queues ordered in the store. The random tail makes ids unguessable. Across a restart
 *       ids stay increasing unless the wall clock went backwards (or the old process had run ahead
 *       of it); across replicas they are unique (48 random bits) and ordered only as far as the
 *       clocks agree. An unqueued message's id holds its first due time instead ({@link
 *       #newMessageIdDueAt}); queued ones keep the creation order FIFO needs.
 *   <li>DLQ id: {@code <unixMillis>-<seq>} like {@code 1725323658779-0}, the same counter scheme
 *       (seq restarts each millisecond). Unique and increasing within a process, sortable when read
 *       as two numbers. Not unique across replicas by itself: a shared store must add its own
 *       guarantee.
 *   <li>Signing key: {@code sig_} + 28 base58 characters (Bitcoin alphabet, like the dev keys); JWT
 *       id: {@code jwt_} + 28 base58 characters.
 * </ul>
 *
 * All randomness comes from a {@link SecureRandom} (DRBG) per thread, read through a small buffer
 * so the hot path costs a few array reads rather than a lock and a system call (about 0.2 µs per
 * message id on the dev machine).
 */
public final class Ids {
  private static final char[] BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final char[] BASE58 =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();

  /** 62^11 > 2^63, so 11 digits hold any non-negative long. */
  static final int COUNTER_WIDTH = 11;

  static final int MESSAGE_RANDOM_LENGTH = 8;
  static final int KEY_LENGTH = 28;

  /** Low bits of the counters reserved for ids within one millisecond. */
  static final int SEQUENCE_BITS = 16;

  /** Due times past this (the year 6429) do not fit a counter; such ids count from the clock. */
  static final long MAX_ID_TIME = Long.MAX_VALUE >>> SEQUENCE_BITS;

  private static final AtomicLong MESSAGE_COUNTER = new AtomicLong();
  private static final AtomicLong DUE_SEQUENCE = new AtomicLong();

  /**
   * Sequence bit of an id made for a time later than its creation: such an id's time does not say
   * when the message was created.
   */
  static final long LATER_THAN_CREATED = 1L << (SEQUENCE_BITS - 1);

  private static final AtomicLong DLQ_COUNTER = new AtomicLong();
  private static final ThreadLocal<RandomBytes> RANDOM = ThreadLocal.withInitial(RandomBytes::new);

  private Ids() {}

  /**
   * A new message id such as {@code msg_09CIKG69Eye7XkP2aQz}; later calls sort after earlier ones.
   */
  public static String newMessageId() {
    return messageId(next(MESSAGE_COUNTER, System.currentTimeMillis()));
  }

  /**
   * A new message id that sorts where an id made {@code waitMillis} from now will: a queued message
   * with a delay (a schedule's tick) takes its place in its queue when it becomes due, behind the
   * messages enqueued before then. The counter is left alone, so the ids made meanwhile still sort
   * before it; the random tail keeps it unique.
   */
  public static String newMessageIdSortingIn(long waitMillis) {
    long later = waitMillis > 0 ? LATER_THAN_CREATED : 0;
    return messageId(
        ((System.currentTimeMillis() + Math.max(0, waitMillis)) << SEQUENCE_BITS) | later);
  }

  /**
   * A new id for an unqueued message first due at {@code dueAtMillis}: its counter holds that due
   * time in place of the clock, so ids sort by first due time, and the embedded store keeps the
   * message's record where its due index would be, writing no separate due row
   * (docs/architecture.md#the-embedded-stores-layout). Unique by the random tail, as {@link
   * #newMessageIdSortingIn} is. A delayed one is marked ({@link #createdAtOf}).
   */
  public static String newMessageIdDueAt(long dueAtMillis, long nowMillis) {
    if (dueAtMillis < 0 || dueAtMillis > MAX_ID_TIME) return newMessageId();
    long sequence = DUE_SEQUENCE.getAndIncrement() & (LATER_THAN_CREATED - 1);
    if (dueAtMillis > nowMillis) sequence |= LATER_THAN_CREATED;
    return messageId((dueAtMillis << SEQUENCE_BITS) | sequence);
  }

  /**
   * When the message was created, as its id tells: the time in its counter, unless the id was made
   * for a later time ({@link #newMessageIdDueAt}, {@link #newMessageIdSortingIn} with a wait) or is
   * not a message id: then -1, unknown. (An ordinary id made past the 32 768th of its millisecond
   * reads as unknown too, which costs a lookup its shortcut only.)
   */
  public static long createdAtOf(String id) {
    long counter = counterOf(id);
    return counter < 0 || (counter & LATER_THAN_CREATED) != 0 ? -1 : counter >>> SEQUENCE_BITS;
  }

  /**
   * The time in a message id's counter, in milliseconds (the first due time of an id from {@link
   * #newMessageIdDueAt}), or -1 when {@code id} does not start like a message id. Pure, cheap: no
   * allocation.
   */
  public static long timeOf(String id) {
    long counter = counterOf(id);
    return counter < 0 ? -1 : counter >>> SEQUENCE_BITS;
  }

  private static long counterOf(String id) {
    return id == null || !id.startsWith("msg_") ? -1 : PackedMessageId.high(id);
  }

  /**
   * The smallest message id whose counter's time is {@code timeMillis} (clamped to the range a
   * counter holds): where a scan of ids in due order starts.
   */
  public static String firstIdAt(long timeMillis) {
    long time = Math.max(0, Math.min(timeMillis, MAX_ID_TIME));
    return "msg_" + base62(time << SEQUENCE_BITS);
  }

  /** The message id of counter value {@code value}. */
  static String messageId(long value) {
    char[] out = new char[4 + COUNTER_WIDTH + MESSAGE_RANDOM_LENGTH];
    "msg_".getChars(0, 4, out, 0);
    writeBase62(value, out, 4);
    appendRandom(out, 4 + COUNTER_WIDTH, MESSAGE_RANDOM_LENGTH, BASE62);
    return new String(out);
  }

  /**
   * A new DLQ id {@code <unixMillis>-<seq>}; later calls compare greater as (millis, seq) pairs.
   */
  public static String newDlqId() {
    return dlqId(next(DLQ_COUNTER, System.currentTimeMillis()));
  }

  /** A new signing key: {@code sig_} + 28 base58 characters from a SecureRandom. */
  public static String newSigningKey() {
    return prefixedRandom("sig_");
  }

  /** A new schedule id: {@code scd_} + 28 base58 characters. */
  public static String newScheduleId() {
    return prefixedRandom("scd_");
  }

  /** A new workflow run id (a run resumed or restarted from the DLQ): {@code wfr_} + 28 base58. */
  public static String newWorkflowRunId() {
    return prefixedRandom("wfr_");
  }

  /** A new JWT id: {@code jwt_} + 28 base58 characters. */
  public static String newJwtId() {
    return prefixedRandom("jwt_");
  }

  /** The counter step: strictly greater than the previous value and never behind the clock. */
  static long next(AtomicLong counter, long nowMillis) {
    long floor = nowMillis << SEQUENCE_BITS;
    while (true) {
      long previous = counter.get();
      long candidate = Math.max(previous + 1, floor);
      if (counter.compareAndSet(previous, candidate)) {
        return candidate;
      }
    }
  }

  static String dlqId(long value) {
    return (value >>> SEQUENCE_BITS) + "-" + (value & ((1L << SEQUENCE_BITS) - 1));
  }

  /** Fixed-width base62 of a non-negative value; string order equals numeric order. */
  static String base62(long value) {
    char[] out = new char[COUNTER_WIDTH];
    writeBase62(value, out, 0);
    return new String(out);
  }

  private static void writeBase62(long value, char[] out, int offset) {
    if (value < 0) {
      throw new IllegalArgumentException("negative counter");
    }
    long v = value;
    for (int i = offset + COUNTER_WIDTH - 1; i >= offset; i--) {
      out[i] = BASE62[(int) (v % 62)];
      v /= 62;
    }
  }

  private static String prefixedRandom(String prefix) {
    char[] out = new char[prefix.length() + KEY_LENGTH];
    prefix.getChars(0, prefix.length(), out, 0);
    appendRandom(out, prefix.length(), KEY_LENGTH, BASE58);
    return new String(out);
  }

  /**
   * Uniform characters by rejection sampling: bytes at or above the largest multiple of the
   * alphabet size are dropped.
   */
  private static void appendRandom(char[] out, int offset, int count, char[] alphabet) {
    RandomBytes random = RANDOM.get();
    int limit = 256 - 256 % alphabet.length;
    for (int i = offset; i < offset + count; ) {
      int b = random.next();
      if (b < limit) {
        out[i++] = alphabet[b % alphabet.length];
      }
    }
  }

  /** A thread's SecureRandom, drawn a buffer at a time. */
  private static final class RandomBytes {
    private final SecureRandom random = newSecureRandom();
    private final byte[] buffer = new byte[512];
    private int position = buffer.length;

    int next() {
      if (position == buffer.length) {
        random.nextBytes(buffer);
        position = 0;
      }
      return buffer[position++] & 0xff;
    }

    /**
     * DRBG (NIST SP 800-90A, seeded by the OS) is about twice as fast as NativePRNG and takes no
     * global lock.
     */
    private static SecureRandom newSecureRandom() {
      try {
        return SecureRandom.getInstance("DRBG");
      } catch (NoSuchAlgorithmException e) {
        return new SecureRandom();
      }
    }
  }
}
