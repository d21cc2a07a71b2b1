package dev.ferry.schedule;

import dev.ferry.model.PackedMessageId;
import java.util.Arrays;

/**
 * A binary min-heap of (due time, message id) in parallel primitive arrays: a Ferry message id is
 * stored packed into two longs ({@link PackedMessageId}), so an entry costs 24 bytes (plus array
 * slack) and no object at all — a million pending messages cost tens of megabytes of heap and
 * nothing for the collector to trace. Ids of another shape (none today) fall back to a string slot.
 * An entry may carry its destination host ({@code DueEntry.host}): one reference more (4 bytes with
 * compressed pointers; the scheduler shares one string per host). Not thread-safe: owned by the
 * scheduler's event loop.
 */
final class DueIndex {
  private static final int INITIAL = 1024;

  private long[] due = new long[INITIAL];
  private long[] high = new long[INITIAL];
  private long[] low = new long[INITIAL];

  /** Only for ids that do not pack; null otherwise (then high/low hold the id). */
  private String[] other;

  /** Hosts of the entries, null until one is added with a host. */
  private String[] hosts;

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

  /** The host of the earliest entry, or null; only valid when not empty. */
  String peekHost() {
    return hosts == null ? null : hosts[0];
  }

  void add(long dueAt, String id) {
    add(dueAt, id, null);
  }

  void add(long dueAt, String id, String host) {
    boolean packs = PackedMessageId.packs(id);
    if (!packs && other == null) other = new String[due.length];
    if (host != null && hosts == null) hosts = new String[due.length];
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
    set(i, dueAt, h, l, o, host);
  }

  /** Removes the earliest entry (read it first with {@link #peekDue()}/{@link #peekId()}). */
  void poll() {
    int last = --size;
    if (last > 0) {
      move(last, 0);
      siftDown(0);
    }
    if (other != null) other[last] = null;
    if (hosts != null) hosts[last] = null;
    if (due.length > 4 * INITIAL && size < due.length / 4) grow(due.length / 2);
  }

  /**
   * Keeps the {@code keep} earliest entries and drops the rest; returns the earliest due time
   * dropped, or {@code Long.MAX_VALUE} when nothing was. Linear: a selection for the cut-off, one
   * compacting pass, a heapify.
   */
  long trimTo(int keep) {
    if (size <= keep) return Long.MAX_VALUE;
    long cut = keep == 0 ? Long.MIN_VALUE : kthSmallest(Arrays.copyOf(due, size), keep - 1);
    int below = 0;
    for (int i = 0; i < size; i++) {
      if (due[i] < cut) below++;
    }
    int tiesKept = keep - below; // entries at exactly the cut-off that still fit
    long earliestDropped = Long.MAX_VALUE;
    int kept = 0;
    for (int i = 0; i < size; i++) {
      long d = due[i];
      if (d < cut || (d == cut && tiesKept-- > 0)) {
        if (kept != i) move(i, kept);
        kept++;
      } else {
        earliestDropped = Math.min(earliestDropped, d);
      }
    }
    if (other != null) Arrays.fill(other, kept, size, null);
    if (hosts != null) Arrays.fill(hosts, kept, size, null);
    size = kept;
    for (int i = (size >>> 1) - 1; i >= 0; i--) siftDown(i);
    return earliestDropped;
  }

  private void siftDown(int i) {
    long d = due[i];
    long h = high[i];
    long l = low[i];
    String o = other == null ? null : other[i];
    String host = hosts == null ? null : hosts[i];
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < size && due[right] < due[child]) child = right;
      if (d <= due[child]) break;
      move(child, i);
      i = child;
    }
    set(i, d, h, l, o, host);
  }

  /**
   * The k-th smallest (0-based) of {@code a}, which it reorders: quickselect with a middle pivot.
   */
  private static long kthSmallest(long[] a, int k) {
    int lo = 0;
    int hi = a.length - 1;
    while (lo < hi) {
      long pivot = a[(lo + hi) >>> 1];
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (a[i] < pivot) i++;
        while (a[j] > pivot) j--;
        if (i <= j) {
          long t = a[i];
          a[i++] = a[j];
          a[j--] = t;
        }
      }
      if (k <= j) {
        hi = j;
      } else if (k >= i) {
        lo = i;
      } else {
        return a[k];
      }
    }
    return a[k];
  }

  private void move(int from, int to) {
    due[to] = due[from];
    high[to] = high[from];
    low[to] = low[from];
    if (other != null) other[to] = other[from];
    if (hosts != null) hosts[to] = hosts[from];
  }

  private void set(int i, long d, long h, long l, String o, String host) {
    due[i] = d;
    high[i] = h;
    low[i] = l;
    if (other != null) other[i] = o;
    if (hosts != null) hosts[i] = host;
  }

  private void grow(int capacity) {
    due = Arrays.copyOf(due, capacity);
    high = Arrays.copyOf(high, capacity);
    low = Arrays.copyOf(low, capacity);
    if (other != null) other = Arrays.copyOf(other, capacity);
    if (hosts != null) hosts = Arrays.copyOf(hosts, capacity);
  }
}
