package dev.ferry.console;

import java.util.Arrays;

/**
 * Counts of a few kinds of event per wall-clock minute over the last {@code minutes} minutes, in a ring that reuses a
 * slot once its minute has passed. Thread-safe (one monitor; every call is a few array writes).
 */
final class MinuteCounts {
  private final int minutes;
  private final int kinds;
  private final long[] minuteOf;
  private final long[] counts;

  MinuteCounts(int minutes, int kinds) {
    this.minutes = minutes;
    this.kinds = kinds;
    this.minuteOf = new long[minutes];
    this.counts = new long[minutes * kinds];
    Arrays.fill(minuteOf, -1);
  }

  /** Adds {@code n} events of {@code kind} to the minute of {@code millis}. */
  synchronized void add(long millis, int kind, long n) {
    long minute = Math.floorDiv(millis, 60_000L);
    int slot = (int) Math.floorMod(minute, (long) minutes);
    if (minuteOf[slot] != minute) {
      minuteOf[slot] = minute;
      Arrays.fill(counts, slot * kinds, slot * kinds + kinds, 0);
    }
    counts[slot * kinds + kind] += n;
  }

  /**
   * The counts of the last {@code last} minutes up to and including the minute of {@code nowMillis}, oldest first:
   * {@code result[i][kind]}; minutes without events are zeros.
   */
  synchronized long[][] recent(long nowMillis, int last) {
    int n = Math.min(last, minutes);
    long current = Math.floorDiv(nowMillis, 60_000L);
    long[][] result = new long[n][kinds];
    for (int i = 0; i < n; i++) {
      long minute = current - (n - 1 - i);
      int slot = (int) Math.floorMod(minute, (long) minutes);
      if (minuteOf[slot] == minute) {
        System.arraycopy(counts, slot * kinds, result[i], 0, kinds);
      }
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
