package dev.ferry.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadTest {
  @Test
  void splits_connections_evenly_with_the_remainder_first() {
    assertEquals(List.of(32), Spread.split(32, 1));
    assertEquals(List.of(11, 11, 10), Spread.split(32, 3));
    assertEquals(List.of(1, 1, 1), Spread.split(2, 3)); // every server gets one
    assertThrows(IllegalArgumentException.class, () -> Spread.split(8, 0));
  }

  @Test
  void sums_loops_that_ran_at_the_same_time() {
    Load.Result sum =
        Spread.sum(
            List.of(
                new Load.Result(100, 0, 10.0, null, 5),
                new Load.Result(50, 2, 10.0, "503 busy", 40),
                new Load.Result(70, 1, 9.5, "timeout", 7)));
    assertEquals(new Load.Result(220, 3, 10.0, "503 busy", 40), sum);
    assertEquals(22.0, sum.perSecond(), 1e-9);
  }
}
