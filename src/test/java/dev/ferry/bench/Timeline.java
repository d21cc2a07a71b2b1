package dev.ferry.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One-line summaries of the sink's lateness timeline ({@code GET /timeline}) for progress lines.
 */
final class Timeline {
  private Timeline() {}

  /** "p50/p99 per second: 1.2/3.4 1.1/2.9 ..." in due-time order. */
  static String perSecond(JsonObject timeline) {
    return "p50/p99 ms per "
        + timeline.getLong("slotMs")
        + " ms: "
        + slots(timeline).stream()
            .map(
                s ->
                    ResultTable.number(s.getDouble("p50"))
                        + "/"
                        + ResultTable.number(s.getDouble("p99")))
            .collect(Collectors.joining(" "));
  }

  /** The {@code n} slots with the highest maximum: "worst 100 ms slots: @4.3 s max 61 ms, ...". */
  static String worst(JsonObject timeline, int n) {
    List<JsonObject> sorted = new ArrayList<>(slots(timeline));
    sorted.sort(Comparator.comparingDouble((JsonObject s) -> s.getDouble("max")).reversed());
    return "worst "
        + timeline.getLong("slotMs")
        + " ms slots (from Unix ms "
        + String.format(java.util.Locale.ROOT, "%.0f", timeline.getDouble("originMs", 0.0))
        + "): "
        + sorted.stream()
            .limit(n)
            .map(
                s ->
                    "@"
                        + ResultTable.number(s.getLong("fromMs") / 1000.0)
                        + " s max "
                        + ResultTable.number(s.getDouble("max"))
                        + " ms ("
                        + s.getLong("count")
                        + ")")
            .collect(Collectors.joining(", "));
  }

  /** The highest per-slot p99 of the timeline, 0 when it has no slot. */
  static double worstP99(JsonObject timeline) {
    return slots(timeline).stream().mapToDouble(s -> s.getDouble("p99")).max().orElse(0);
  }

  private static List<JsonObject> slots(JsonObject timeline) {
    JsonArray slots = timeline.getJsonArray("slots");
    List<JsonObject> list = new ArrayList<>();
    for (int i = 0; i < slots.size(); i++) list.add(slots.getJsonObject(i));
    return list;
  }
}
