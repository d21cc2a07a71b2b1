package dev.ferry.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PendingWorkloadTest {

  /** Everything a Ferry run schedules: warm-up (5,000 + 200), the bulk and the samples. */
  private static long scheduled(BenchOptions o) {
    return 5_200L + o.pending() + o.sample();
  }

  @Test
  void ferrys_due_index_holds_every_message_of_a_run_so_the_samples_are_not_left_in_the_store() {
    for (BenchOptions o : new BenchOptions[] {BenchOptions.parse(), BenchOptions.parse("--quick"),
        BenchOptions.parse("--pending", "3000000", "--sample", "5000")}) {
      assertTrue(PendingWorkload.dueIndexRoom(o) > scheduled(o), "room " + PendingWorkload.dueIndexRoom(o)
          + " for " + scheduled(o));
    }
  }

  @Test
  void the_due_index_room_stays_an_int() {
    assertEquals(Integer.MAX_VALUE, PendingWorkload.dueIndexRoom(BenchOptions.parse("--pending", "2000000000")));
  }
}
