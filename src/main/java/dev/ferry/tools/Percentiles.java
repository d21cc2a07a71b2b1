package dev.ferry.tools;

import java.util.Arrays;

/**
 * Nearest-rank percentiles of a set of samples. Pure; used by the sink's lateness figures and by
 * the bench.
 */
public final class Percentiles {
  private Percentiles() {}

  /**
   * The nearest-rank {@code p}-th percentile ({@code 0 < p <= 100}) of {@code sorted}, which must
   * be sorted ascending and not empty: the smallest sample such that at least p% of all samples are
   * at or below it.
   */
  public static long of(long[] sorted, int length, double p) {
    if (length <= 0) throw new IllegalArgumentException("no samples");
    if (!(p > 0 && p <= 100))
      throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
    int rank = (int) Math.ceil(p / 100.0 * length);
    return sorted[Math.max(0, Math.min(length, rank) - 1)];
  }

  /**
   * The median of the values (the mean of the two middle ones for an even count); the array is not
   * modified.
   */
  public static double median(double[] values) {
    if (values.length == 0) throw new IllegalArgumentException("no values");
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
