package dev.ferry.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PercentilesTest {
  private static final long[] HUNDRED = new long[100];

  static {
    for (int i = 0; i < 100; i++) HUNDRED[i] = i + 1; // 1..100
  }

  @Test
  void nearest_rank_percentiles_of_one_to_a_hundred() {
    assertEquals(50, Percentiles.of(HUNDRED, 100, 50));
    assertEquals(99, Percentiles.of(HUNDRED, 100, 99));
    assertEquals(100, Percentiles.of(HUNDRED, 100, 100));
    assertEquals(1, Percentiles.of(HUNDRED, 100, 0.5));
  }

  @Test
  void only_the_first_length_samples_count() {
    assertEquals(5, Percentiles.of(HUNDRED, 10, 50));
    assertEquals(10, Percentiles.of(HUNDRED, 10, 99));
  }

  @Test
  void p99_of_few_samples_is_the_largest() {
    assertEquals(7, Percentiles.of(new long[] {3, 5, 7}, 3, 99));
    assertEquals(4, Percentiles.of(new long[] {4}, 1, 50));
  }

  @Test
  void refuses_no_samples_and_bad_percentiles() {
    assertThrows(IllegalArgumentException.class, () -> Percentiles.of(new long[0], 0, 50));
    assertThrows(IllegalArgumentException.class, () -> Percentiles.of(HUNDRED, 100, 0));
    assertThrows(IllegalArgumentException.class, () -> Percentiles.of(HUNDRED, 100, 101));
  }

  @Test
  void median_of_odd_and_even_counts_without_touching_the_input() {
    double[] odd = {9, 1, 5};
    assertEquals(5, Percentiles.median(odd));
    assertEquals(9, odd[0]);
    assertEquals(2.5, Percentiles.median(new double[] {4, 1, 3, 2}));
    assertEquals(7, Percentiles.median(new double[] {7}));
    assertThrows(IllegalArgumentException.class, () -> Percentiles.median(new double[0]));
  }
}
