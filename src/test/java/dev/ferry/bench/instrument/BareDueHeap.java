package dev.ferry.bench.instrument;

import java.util.Arrays;

/**
 * A binary min-heap of (due, id) in parallel {@code long[]} arrays, the id being the 128 bits a
 * Ferry message id carries (its 64-bit counter and its random tail): 24 bytes an entry plus array
 * slack, no object per entry. The bare yardstick for the scheduler's in-memory index; deliberately
 * independent of how Ferry's {@code DueIndex} is written, so it stays the same while that changes.
 */
final class BareDueHeap {
  private long[] due = new long[1024];
  private long[] high = new long[1024];
  private long[] low = new long[1024];
  private int size;

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  long peekDue() {
    return due[0];
  }

  long peekHigh() {
    return high[0];
  }

  void add(long dueAt, long idHigh, long idLow) {
    if (size == due.length) {
      due = Arrays.copyOf(due, size * 2);
      high = Arrays.copyOf(high, size * 2);
      low = Arrays.copyOf(low, size * 2);
    }
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (due[parent] <= dueAt) break;
      move(parent, i);
      i = parent;
    }
    due[i] = dueAt;
    high[i] = idHigh;
    low[i] = idLow;
  }

  void poll() {
    int last = --size;
    long d = due[last];
    long h = high[last];
    long l = low[last];
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
    due[i] = d;
    high[i] = h;
    low[i] = l;
  }

  private void move(int from, int to) {
    due[to] = due[from];
    high[to] = high[from];
    low[to] = low[from];
  }
}
