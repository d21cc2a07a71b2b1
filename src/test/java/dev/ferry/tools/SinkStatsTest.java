package dev.ferry.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class SinkStatsTest {
  private static final long T0 = 1_900_000_000_000_000L; // µs

  @Test
  void counts_arrivals_signatures_and_lateness_in_milliseconds() {
    SinkStats stats = new SinkStats();
    for (int i = 1; i <= 100; i++) {
      stats.arrived(T0 + i * 1000L);
      stats.signature(i != 7);
      stats.due(T0, T0 + i * 100L, null); // i * 0.1 ms late
    }
    JsonObject json = stats.toJson();
    assertEquals(100, json.getLong("received"));
    assertEquals(99, json.getLong("verified"));
    assertEquals(1, json.getLong("invalidSignatures"));
    assertEquals(0, json.getLong("early"));
    JsonObject late = json.getJsonObject("latenessMs");
    assertEquals(100, late.getLong("count"));
    assertEquals(5.0, late.getDouble("p50"));
    assertEquals(9.9, late.getDouble("p99"));
    assertEquals(10.0, late.getDouble("max"));
    assertEquals((T0 + 1000) / 1000.0, json.getDouble("firstArrivalMs"));
    assertEquals((T0 + 100_000) / 1000.0, json.getDouble("lastArrivalMs"));
  }

  @Test
  void an_arrival_before_its_due_time_is_early_not_late() {
    SinkStats stats = new SinkStats();
    stats.due(T0, T0 - 1, null);
    stats.due(T0, T0, null);
    JsonObject json = stats.toJson();
    assertEquals(1, json.getLong("early"));
    assertEquals(1, json.getJsonObject("latenessMs").getLong("count"));
    assertEquals(0.0, json.getJsonObject("latenessMs").getDouble("max"));
  }

  @Test
  void keeps_the_arrival_of_each_due_request_by_message_id_early_ones_too_up_to_a_bound() {
    SinkStats stats = new SinkStats();
    stats.due(T0, T0 + 1500, "msg_late");
    stats.due(T0, T0 - 250, "msg_early");
    stats.due(T0, T0, null);
    JsonObject arrivals = stats.arrivalsJson();
    assertEquals(2, arrivals.size());
    assertEquals((T0 + 1500) / 1000.0, arrivals.getDouble("msg_late"));
    assertEquals((T0 - 250) / 1000.0, arrivals.getDouble("msg_early"));
    for (int i = 0; i < SinkStats.MAX_ARRIVALS + 10; i++) stats.due(T0, T0, "m" + i);
    assertEquals(SinkStats.MAX_ARRIVALS, stats.arrivalsJson().size());
    assertEquals(
        SinkStats.MAX_ARRIVALS + 12, stats.toJson().getJsonObject("latenessMs").getLong("count"));
  }

  @Test
  void the_timeline_groups_lateness_by_due_time_slot_and_leaves_out_empty_slots() {
    SinkStats stats = new SinkStats();
    for (int i = 0; i < 100; i++) stats.due(T0 + i * 10L, T0 + i * 10L + 2000, null); // 2 ms late
    stats.due(T0 + 2_500_000, T0 + 2_500_000 + 40_000, null); // slot 2: one 40 ms late
    stats.due(T0 + 500_000, T0 + 500_000 + 7_000, null); // slot 0: one 7 ms late
    JsonObject timeline = stats.timelineJson(1000);
    assertEquals(1000, timeline.getLong("slotMs"));
    assertEquals(T0 / 1000.0, timeline.getDouble("originMs"));
    JsonArray slots = timeline.getJsonArray("slots");
    assertEquals(2, slots.size());
    JsonObject first = slots.getJsonObject(0);
    assertEquals(0, first.getLong("fromMs"));
    assertEquals(101, first.getLong("count"));
    assertEquals(2.0, first.getDouble("p50"));
    assertEquals(2.0, first.getDouble("p99"));
    assertEquals(7.0, first.getDouble("max"));
    JsonObject third = slots.getJsonObject(1);
    assertEquals(2000, third.getLong("fromMs"));
    assertEquals(1, third.getLong("count"));
    assertEquals(40.0, third.getDouble("p99"));
    assertEquals(0, new SinkStats().timelineJson(100).getJsonArray("slots").size());
  }

  @Test
  void reset_forgets_everything() {
    SinkStats stats = new SinkStats();
    stats.arrived(T0);
    stats.due(T0, T0 + 5, "msg_1");
    stats.reset();
    assertEquals(new JsonObject(), stats.arrivalsJson());
    JsonObject json = stats.toJson();
    assertEquals(0, json.getLong("received"));
    assertEquals(0, json.getJsonObject("latenessMs").getLong("count"));
    assertNull(json.getJsonObject("latenessMs").getValue("p99"));
    assertNull(json.getValue("firstArrivalMs"));
  }
}
