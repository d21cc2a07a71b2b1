package dev.ferry.bench.instrument;

import java.util.Arrays;

/** A binary min-heap of (due, id) in two parallel arrays: the bare structure Ferry's {@code DueIndex} is built on. */
final class BareDueHeap {
  private long[] due = new long[1024];
  private String[] ids = new String[1024];
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

  String peekId() {
    return ids[0];
  }

  void add(long dueAt, String id) {
    if (size == due.length) {
      due = Arrays.copyOf(due, size * 2);
      ids = Arrays.copyOf(ids, size * 2);
    }
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (due[parent] <= dueAt) break;
      due[i] = due[parent];
      ids[i] = ids[parent];
      i = parent;
    }
    due[i] = dueAt;
    ids[i] = id;
  }

  void poll() {
    int last = --size;
    long d = due[last];
    String id = ids[last];
    ids[last] = null;
    if (last == 0) return;
    int i = 0;
    int half = last >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < last && due[right] < due[child]) child = right;
      if (d <= due[child]) break;
      due[i] = due[child];
      ids[i] = ids[child];
      i = child;
    }
    due[i] = d;
    ids[i] = id;
  }
}
