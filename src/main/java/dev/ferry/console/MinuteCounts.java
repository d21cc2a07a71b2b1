package dev.ferry.console;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts of a few kinds of event per wall-clock minute over the last {@code minutes} minutes, in a
 * ring that reuses a slot once its minute has passed. Lock-free, because delivery reports every
 * attempt from several event loops: an event costs an atomic add, and the first event of a new
 * minute claims its slot with a compare-and-set. The price is approximation at a minute's edge (an
 * event racing the slot's reset may be lost, an event that arrives after its minute's slot was
 * reused is dropped), which a chart read at a glance can afford.
 */
final class MinuteCounts {
  private final int minutes;
  private final int kinds;
  private final AtomicLongArray minuteOf;
  private final AtomicLongArray counts;

  MinuteCounts(int minutes, int kinds) {
    this.minutes = minutes;
    this.kinds = kinds;
    this.minuteOf = new AtomicLongArray(minutes);
    this.counts = new AtomicLongArray(minutes * kinds);
    for (int i = 0; i < minutes; i++) minuteOf.set(i, -1);
  }

  /** Adds {@code n} events of {@code kind} to the minute of {@code millis}. */
  void add(long millis, int kind, long n) {
    long minute = Math.floorDiv(millis, 60_000L);
    int slot = (int) Math.floorMod(minute, (long) minutes);
    long seen = minuteOf.get(slot);
    if (seen > minute) return; // its minute has left the window
    if (seen < minute && minuteOf.compareAndSet(slot, seen, minute)) {
      for (int k = 0; k < kinds; k++) counts.set(slot * kinds + k, 0);
    }
    counts.addAndGet(slot * kinds + kind, n);
  }

  /**
   * The counts of the last {@code last} minutes up to and including the minute of {@code
   * nowMillis}, oldest first: {@code result[i][kind]}; minutes without events are zeros.
   */
  long[][] recent(long nowMillis, int last) {
    int n = Math.min(last, minutes);
    long current = Math.floorDiv(nowMillis, 60_000L);
    long[][] result = new long[n][kinds];
    for (int i = 0; i < n; i++) {
      long minute = current - (n - 1 - i);
      int slot = (int) Math.floorMod(minute, (long) minutes);
      if (minuteOf.get(slot) != minute) continue;
      for (int k = 0; k < kinds; k++) result[i][k] = counts.get(slot * kinds + k);
    }
    return result;
  }

  /** The sum of {@code kind} over the last {@code last} minutes. */
  long total(long nowMillis, int last, int kind) {
    long sum = 0;
    for (long[] minute : recent(nowMillis, last)) sum += minute[kind];
    return sum;
  }
}
