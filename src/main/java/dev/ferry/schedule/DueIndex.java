package dev.ferry.schedule;

import dev.ferry.model.PackedMessageId;
import java.util.Arrays;

/**
 * A binary min-heap of (due time, message id) in parallel primitive arrays: a Ferry message id is stored packed
 * into two longs ({@link PackedMessageId}), so an entry costs 24 bytes (plus array slack) and no object at all — a
 * million pending messages cost tens of megabytes of heap and nothing for the collector to trace. Ids of another
 * shape (none today) fall back to a string slot. Not thread-safe: owned by the scheduler's event loop.
 */
final class DueIndex {
  private static final int INITIAL = 1024;

  private long[] due = new long[INITIAL];
  private long[] high = new long[INITIAL];
  private long[] low = new long[INITIAL];
  /** Only for ids that do not pack; null otherwise (then high/low hold the id). */
  private String[] other;
  private int size;

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The earliest due time; only valid when not empty. */
  long peekDue() {
    return due[0];
  }

  /** The id of the earliest entry; only valid when not empty. */
  String peekId() {
    return other != null && other[0] != null ? other[0] : PackedMessageId.unpack(high[0], low[0]);
  }

  void add(long dueAt, String id) {
    boolean packs = PackedMessageId.packs(id);
    if (!packs && other == null) other = new String[due.length];
    if (size == due.length) grow(size * 2);
    long h = packs ? PackedMessageId.high(id) : 0;
    long l = packs ? PackedMessageId.low(id) : 0;
    String o = packs ? null : id;
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (due[parent] <= dueAt) break;
      move(parent, i);
      i = parent;
    }
    set(i, dueAt, h, l, o);
  }

  /** Removes the earliest entry (read it first with {@link #peekDue()}/{@link #peekId()}). */
  void poll() {
    int last = --size;
    long d = due[last];
    long h = high[last];
    long l = low[last];
    String o = other == null ? null : other[last];
    if (other != null) other[last] = null;
    if (last == 0) return;
    int i = 0;
    int half = last >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < last && due[right] < due[child]) child = right;
      if (d <= due[child]) break;
      move(child, i);
      i = child;
    }
    set(i, d, h, l, o);
    if (due.length > 4 * INITIAL && size < due.length / 4) grow(due.length / 2);
  }

  private void move(int from, int to) {
    due[to] = due[from];
    high[to] = high[from];
    low[to] = low[from];
    if (other != null) other[to] = other[from];
  }

  private void set(int i, long d, long h, long l, String o) {
    due[i] = d;
    high[i] = h;
    low[i] = l;
    if (other != null) other[i] = o;
  }

  private void grow(int capacity) {
    due = Arrays.copyOf(due, capacity);
    high = Arrays.copyOf(high, capacity);
    low = Arrays.copyOf(low, capacity);
    if (other != null) other = Arrays.copyOf(other, capacity);
  }
}
