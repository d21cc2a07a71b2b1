package dev.ferry.delivery.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.model.FlowControl;
import org.junit.jupiter.api.Test;

/** The lane's bookkeeping: fixed rate windows aligned to a start, parallelism, pins. */
class FlowControlLaneTest {

  @Test
  void a_window_begins_with_a_start_and_allows_rate_starts() {
    FlowControlLane lane = new FlowControlLane("t", "k");
    lane.configure(new FlowControl("k", 0, 3, 1));
    assertEquals(0, lane.rateWait(5_000));
    for (int i = 0; i < 3; i++) {
      lane.started(5_000 + i * 100);
      lane.ended();
    }
    assertEquals(800, lane.rateWait(5_200), "the window began at the first start, 5000");
    assertEquals(1, lane.rateWait(5_999));
    assertEquals(0, lane.rateWait(6_000));
    lane.started(6_400); // the next window begins with this start, not at 6000
    assertEquals(6, lane.state(6_400).ratePeriodStart());
    assertEquals(1, lane.state(6_400).rateCount());
    lane.started(6_500);
    lane.started(6_600);
    assertEquals(800, lane.rateWait(6_600));
  }

  @Test
  void parallelism_counts_attempts_in_flight() {
    FlowControlLane lane = new FlowControlLane("t", "k");
    lane.configure(new FlowControl("k", 2, 0, 1));
    lane.started(0);
    assertFalse(lane.parallelismFull());
    lane.started(0);
    assertTrue(lane.parallelismFull());
    lane.ended();
    assertFalse(lane.parallelismFull());
    assertEquals(0, lane.rateWait(0), "no rate: never waits for one");
  }

  @Test
  void pinned_values_ignore_the_messages_config() {
    FlowControlLane lane = new FlowControlLane("t", "k");
    lane.pinnedParallelism = true;
    lane.parallelismMax = 1;
    lane.configure(new FlowControl("k", 9, 4, 60));
    assertEquals(1, lane.parallelismMax);
    assertEquals(4, lane.rateMax);
    assertEquals(60_000, lane.periodMillis);
  }
}
