package dev.ferry.delivery;

/**
 * The unqueued attempts a delivery partition ended lately, so that a stale copy of their message
 * starts no second attempt. A copy read from the store while an attempt of its message ran still
 * shows the message pending; handed over after that attempt ended (a rescan of the due rows, a
 * parked entry read back), it would deliver the message again. A copy is stale when an attempt of
 * its message ended at or after the copy's read began ({@code StoreCopies.readNanos}): what the
 * store held for the message afterwards (nothing once delivered or dead-lettered, or a retry this
 * partition scheduled itself) is already taken care of by that attempt's end.
 *
 * <p>A ring of the last ends, newest last: recording one is two array writes, and judging a copy
 * walks back only over the ends since its read began (few: reads take milliseconds). A copy read
 * before the oldest end still kept cannot be judged ({@link Verdict#UNKNOWN}) and must be read
 * again. Confined to its partition's context.
 */
final class RecentEnds {
  /** What a copy of a message read from the store may start. */
  enum Verdict {
    /** No attempt of its message ended since the copy was read: it may start one. */
    FRESH,
    /** An attempt of its message ended since the copy was read: it starts nothing. */
    STALE,
    /** Read before the oldest end still kept: read it again. */
    UNKNOWN
  }

  /** About a second of ends at 15 000 deliveries/s per partition. */
  static final int CAPACITY = 1 << 14;

  private final String[] ids;
  private final long[] endedNanos;
  private final int mask;
  private long count;

  RecentEnds() {
    this(CAPACITY);
  }

  /** {@code capacity}: a power of two. */
  RecentEnds(int capacity) {
    if (Integer.bitCount(capacity) != 1)
      throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
    ids = new String[capacity];
    endedNanos = new long[capacity];
    mask = capacity - 1;
  }

  /** An attempt of message {@code id} ended at {@code nanos}, no earlier than any end before. */
  void ended(String id, long nanos) {
    int slot = (int) (count & mask);
    ids[slot] = id;
    endedNanos[slot] = nanos;
    count++;
  }

  /** Whether a copy of message {@code id} read from {@code readNanos} on may start an attempt. */
  Verdict copyRead(String id, long readNanos) {
    long oldest = Math.max(0, count - ids.length);
    int hash = id.hashCode();
    for (long i = count - 1; i >= oldest; i--) {
      int slot = (int) (i & mask);
      if (endedNanos[slot] - readNanos < 0) return Verdict.FRESH; // older ends are older still
      String ended = ids[slot];
      if (ended.hashCode() == hash && ended.equals(id)) return Verdict.STALE;
    }
    return oldest > 0 ? Verdict.UNKNOWN : Verdict.FRESH;
  }
}
