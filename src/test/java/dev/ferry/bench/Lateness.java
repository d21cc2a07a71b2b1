package dev.ferry.bench;

import dev.ferry.tools.Percentiles;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Map;

/**
 * Firing lateness of messages whose exact due times are known (from Ferry's {@code notBefore}),
 * from their arrival times at the sink ({@code GET /arrivals}), in microseconds. An arrival before
 * its due time counts as early, one missing from the sink's answer as not arrived; neither enters
 * the percentiles.
 */
record Lateness(int arrived, int early, long p50Micros, long p99Micros, long maxMicros) {

  /**
   * {@code dueAt}: message id → due time (Unix ms); {@code arrivals}: message id → arrival (Unix
   * ms, fractional).
   */
  static Lateness of(Map<String, Long> dueAt, JsonObject arrivals) {
    long[] late = new long[dueAt.size()];
    int n = 0;
    int arrived = 0;
    int early = 0;
    for (Map.Entry<String, Long> e : dueAt.entrySet()) {
      Double arrival = arrivals.getDouble(e.getKey());
      if (arrival == null) continue;
      arrived++;
      long micros = Math.round(arrival * 1000) - e.getValue() * 1000;
      if (micros < 0) {
        early++;
      } else {
        late[n++] = micros;
      }
    }
    Arrays.sort(late, 0, n);
    return n == 0
        ? new Lateness(arrived, early, -1, -1, -1)
        : new Lateness(
            arrived, early, Percentiles.of(late, n, 50), Percentiles.of(late, n, 99), late[n - 1]);
  }

  /**
   * As the sink computed it from {@code X-Due-At} ({@code GET /stats}: {@code early} and {@code
   * latenessMs}).
   */
  static Lateness ofSink(JsonObject stats) {
    JsonObject l = stats.getJsonObject("latenessMs");
    long count = l.getLong("count");
    long early = stats.getLong("early");
    return new Lateness(
        (int) (count + early),
        (int) early,
        micros(l.getDouble("p50")),
        micros(l.getDouble("p99")),
        micros(l.getDouble("max")));
  }

  private static long micros(Double millis) {
    return millis == null ? -1 : Math.round(millis * 1000);
  }

  /** The p99 in ms, or null when nothing arrived on time or late. */
  Double p99() {
    return p99Micros < 0 ? null : p99Micros / 1000.0;
  }

  @Override
  public String toString() {
    if (p99Micros < 0)
      return "lateness of 0 of "
          + arrived
          + " arrived"
          + (early > 0 ? ", " + early + " EARLY" : "");
    return "lateness of "
        + (arrived - early)
        + ": p50 "
        + p50Micros / 1000.0
        + " ms, p99 "
        + p99Micros / 1000.0
        + " ms, max "
        + maxMicros / 1000.0
        + " ms"
        + (early > 0 ? ", " + early + " EARLY" : "");
  }
}
