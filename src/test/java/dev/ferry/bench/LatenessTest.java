package dev.ferry.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatenessTest {
  private static final long DUE = 1_900_000_000_000L;

  @Test
  void measures_each_arrival_from_its_own_due_time_and_sets_early_and_missing_ones_apart() {
    Map<String, Long> dueAt = new HashMap<>();
    JsonObject arrivals = new JsonObject();
    for (int i = 1; i <= 100; i++) {
      dueAt.put("m" + i, DUE + i); // each its own due time
      arrivals.put("m" + i, DUE + i + i * 0.25); // i * 0.25 ms late
    }
    dueAt.put("early", DUE);
    arrivals.put("early", DUE - 0.5);
    dueAt.put("missing", DUE);
    Lateness l = Lateness.of(dueAt, arrivals);
    assertEquals(101, l.arrived());
    assertEquals(1, l.early());
    assertEquals(12_500, l.p50Micros());
    assertEquals(24.75, l.p99());
    assertEquals(25_000, l.maxMicros());
  }

  @Test
  void nothing_on_time_or_late_has_no_percentiles() {
    Lateness l = Lateness.of(Map.of("a", DUE), new JsonObject().put("a", DUE - 1.0));
    assertEquals(1, l.early());
    assertNull(l.p99());
  }

  @Test
  void reads_the_sinks_own_figures_and_prints_them_alike() {
    JsonObject stats =
        new JsonObject()
            .put("early", 2)
            .put(
                "latenessMs",
                new JsonObject()
                    .put("count", 998)
                    .put("p50", 1.457)
                    .put("p99", 4.998)
                    .put("max", 12.317));
    Lateness l = Lateness.ofSink(stats);
    assertEquals(1000, l.arrived());
    assertEquals(4.998, l.p99());
    assertEquals(
        "lateness of 998: p50 1.457 ms, p99 4.998 ms, max 12.317 ms, 2 EARLY", l.toString());
    JsonObject none =
        new JsonObject()
            .put("early", 0)
            .put(
                "latenessMs",
                new JsonObject().put("count", 0).putNull("p50").putNull("p99").putNull("max"));
    assertNull(Lateness.ofSink(none).p99());
  }
}
