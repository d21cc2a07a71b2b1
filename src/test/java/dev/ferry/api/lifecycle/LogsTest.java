package dev.ferry.api.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.GatewayTest;
import dev.ferry.testing.Sink;
import dev.ferry.testing.TestConfigs;
import dev.ferry.testing.TestFerry;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v2/events} and {@code /v2/logs}: one entry per transition, filters, order and
 * cursors.
 */
class LogsTest extends GatewayTest {

  @Test
  void a_delivered_message_logs_created_active_delivered_with_its_fields() throws Exception {
    String id =
        publish(
            sink.url("/ok?x=1"),
            Map.of(
                "Upstash-Label", "l1,l2", "Content-Type", "text/plain", "Upstash-Forward-X-A", "b"),
            "hello");
    sink.await("/ok", 1, 10_000);
    List<JsonObject> events =
        Lifecycle.awaitLog(ferry, id, List.of("DELIVERED", "ACTIVE", "CREATED"));
    assertEquals(List.of("DELIVERED", "ACTIVE", "CREATED"), states(events));
    JsonObject created = events.get(2);
    assertEquals(id, created.getString("messageId"));
    assertEquals(sink.url("/ok?x=1"), created.getString("url"));
    assertEquals("POST", created.getString("method"));
    assertEquals(Base64.getEncoder().encodeToString("hello".getBytes()), created.getString("body"));
    assertEquals(new JsonArray().add("b"), created.getJsonObject("header").getJsonArray("X-A"));
    assertEquals("l1", created.getString("label"));
    assertEquals(new JsonArray().add("l1").add("l2"), created.getJsonArray("labels"));
    assertEquals("127.0.0.1", created.getString("callerIP"));
    assertTrue(events.get(0).getLong("time") >= created.getLong("time"));
    assertFalse(created.containsKey("responseStatus"));
  }

  @Test
  void a_failing_message_logs_error_with_response_then_retry_then_failed() throws Exception {
    sink.on("/bad", r -> new Sink.Reply(503, Map.of("X-Why", "down"), "nope", 0));
    String id =
        publish(sink.url("/bad"), Map.of("Upstash-Retries", "1", "Upstash-Retry-Delay", "50"), "x");
    List<String> expected =
        List.of("FAILED", "ERROR", "ACTIVE", "RETRY", "ERROR", "ACTIVE", "CREATED");
    List<JsonObject> events = Lifecycle.awaitLog(ferry, id, expected);
    assertEquals(expected, states(events));
    JsonObject error = events.get(4);
    assertEquals(503, error.getInteger("responseStatus"));
    assertEquals("nope", new String(Base64.getDecoder().decode(error.getString("responseBody"))));
    assertEquals(
        new JsonArray().add("down"), error.getJsonObject("responseHeaders").getJsonArray("X-Why"));
    assertEquals(
        new JsonArray().add("down"), error.getJsonObject("responseHeader").getJsonArray("X-Why"));
    assertEquals("HTTP 503", error.getString("error"));
    JsonObject retry = events.get(3);
    assertTrue(retry.getLong("nextDeliveryTime") >= retry.getLong("time"), retry.encode());
  }

  @Test
  void both_paths_answer_with_their_keys_and_the_last_page_has_no_cursor() throws Exception {
    String id = publish(sink.url("/keys"), Map.of(), "x");
    Lifecycle.awaitStates(ferry, id, "DELIVERED");
    JsonObject events = get("/v2/events?messageIds=" + id);
    assertEquals(3, events.getJsonArray("events").size());
    assertFalse(events.containsKey("cursor"));
    assertFalse(events.containsKey("logs"));
    JsonObject logs = get("/v2/logs?messageIds=" + id);
    assertEquals(3, logs.getJsonArray("logs").size());
    assertEquals(logs.getJsonArray("logs"), logs.getJsonArray("events"));
  }

  @Test
  void cursors_page_through_every_entry_in_both_orders_while_new_entries_arrive() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++)
      ids.add(publish(sink.url("/page"), Map.of("Upstash-Delay", "1h"), "p" + i));
    Lifecycle.awaitEntries(
        ferry, "/v2/events?state=CREATED&messageIds=" + String.join(",", ids), 5);
    for (boolean latest : new boolean[] {true, false}) {
      List<String> seen = new ArrayList<>();
      String cursor = null;
      do {
        JsonObject page =
            get(
                "/v2/events?count=2&state=CREATED&order="
                    + (latest ? "latestFirst" : "earliestFirst")
                    + (cursor == null ? "" : "&cursor=" + cursor));
        page.getJsonArray("events").forEach(e -> seen.add(((JsonObject) e).getString("messageId")));
        cursor = page.getString("cursor");
        publish(
            sink.url("/page"),
            Map.of("Upstash-Delay", "1h"),
            "meanwhile"); // lands after every cursor
      } while (cursor != null && seen.size() < 20);
      List<String> expected = new ArrayList<>(ids);
      if (latest) {
        java.util.Collections.reverse(expected);
        assertEquals(expected, seen.subList(seen.size() - 5, seen.size()), "latestFirst: " + seen);
      } else {
        assertEquals(expected, seen.subList(0, 5), "earliestFirst: " + seen);
      }
    }
  }

  @Test
  void filters_combine_and_accept_several_values() throws Exception {
    String a = publish(sink.url("/fa"), Map.of("Upstash-Label", "red", "Upstash-Delay", "1h"), "a");
    String b =
        publish(sink.url("/fb"), Map.of("Upstash-Label", "blue", "Upstash-Delay", "1h"), "b");
    String c = publish(sink.url("/fc"), Map.of("Upstash-Delay", "1h"), "c");
    Lifecycle.awaitEntries(ferry, "/v2/events?messageIds=" + a + "," + b + "," + c, 3);
    assertEquals(List.of(b, a), ids(get("/v2/events?label=red&label=blue")));
    assertEquals(List.of(b, a), ids(get("/v2/events?label=red,blue")));
    assertEquals(List.of(a), ids(get("/v2/events?label=red,blue&url=" + sink.url("/fa"))));
    assertEquals(List.of(b), ids(get("/v2/events?path=/fb&host=127.0.0.1")));
    assertEquals(List.of(), ids(get("/v2/events?label=red&state=DELIVERED")));
    assertEquals(List.of(a), ids(get("/v2/events?messageIds=" + a + "&state=CREATED")));
    assertEquals(List.of(), ids(get("/v2/events?label=red&toDate=1")));
    assertEquals(
        List.of(a),
        ids(get("/v2/events?label=red&fromDate=" + (System.currentTimeMillis() - 60_000))));
  }

  @Test
  void in_progress_means_active_retry_and_error_and_both_cancel_spellings_filter()
      throws Exception {
    sink.on("/slow", r -> new Sink.Reply(500, Map.of(), "", 0));
    String id = publish(sink.url("/slow"), Map.of("Upstash-Retries", "0"), "x");
    Lifecycle.awaitStates(ferry, id, "FAILED");
    Lifecycle.awaitStates(ferry, id, "ERROR"); // written beside FAILED: it may land just after it
    List<String> inProgress = states(events(get("/v2/events?state=IN_PROGRESS&messageIds=" + id)));
    assertEquals(List.of("ERROR", "ACTIVE"), inProgress);
    String later = publish(sink.url("/later"), Map.of("Upstash-Delay", "1h"), "x");
    ferry.send(HttpMethod.DELETE, "/v2/messages/" + later, Map.of(), null);
    Lifecycle.awaitStates(ferry, later, "CANCELED");
    assertEquals(
        List.of("CANCELED"), states(events(get("/v2/events?state=CANCELLED&messageIds=" + later))));
    assertEquals(
        List.of("CANCELED"), states(events(get("/v2/events?state=canceled&messageIds=" + later))));
  }

  @Test
  void bad_parameters_are_400() throws Exception {
    for (String q :
        List.of(
            "count=0",
            "count=x",
            "order=sideways",
            "state=BOGUS",
            "fromDate=yesterday",
            "cursor=not-a-cursor")) {
      var r = ferry.send(HttpMethod.GET, "/v2/events?" + q, Map.of(), null);
      assertEquals(400, r.statusCode(), q + ": " + r.bodyAsString());
      assertTrue(r.bodyAsJsonObject().containsKey("error"));
    }
  }

  @Test
  void another_tenants_entries_are_invisible() throws Exception {
    String id = publish(sink.url("/mine"), Map.of("Upstash-Delay", "1h"), "x");
    JsonObject other = Lifecycle.getAs(ferry, TestFerry.OTHER_TOKEN, "/v2/events?messageIds=" + id);
    assertEquals(0, other.getJsonArray("events").size());
    assertNull(other.getString("cursor"));
  }

  @Test
  void with_logs_disabled_nothing_is_recorded_and_pages_are_empty(io.vertx.core.Vertx vertx)
      throws Exception {
    dev.ferry.config.FerryConfig config =
        TestConfigs.of(dir.resolve("off")).set("logs.enabled", false).build();
    try (TestFerry off = TestFerry.start(vertx, config)) {
      String id = Lifecycle.publish(off, sink.url("/off"), Map.of(), "x");
      sink.await("/off", 1, 10_000);
      Thread.sleep(
          200); // an entry would land within milliseconds: give it that time, then see none came
      JsonObject page = Lifecycle.get(off, "/v2/logs?messageIds=" + id);
      assertEquals(0, page.getJsonArray("logs").size());
      assertFalse(java.nio.file.Files.exists(dir.resolve("off").resolve("logs")));
    }
  }

  @Test
  void retention_removes_entries_older_than_logs_retention(io.vertx.core.Vertx vertx)
      throws Exception {
    dev.ferry.config.FerryConfig config =
        TestConfigs.of(dir.resolve("short")).set("logs.retention", "300ms").build();
    try (TestFerry shortLived = TestFerry.start(vertx, config)) {
      String old =
          Lifecycle.publish(shortLived, sink.url("/old"), Map.of("Upstash-Delay", "1h"), "x");
      Lifecycle.awaitEntries(shortLived, "/v2/events?messageIds=" + old, 1);
      Thread.sleep(600); // the time under test: old's entries outlive the 300ms retention
      String fresh =
          Lifecycle.publish(shortLived, sink.url("/fresh"), Map.of("Upstash-Delay", "1h"), "x");
      Lifecycle.awaitEntries(shortLived, "/v2/events?messageIds=" + fresh, 1);
      long removed =
          shortLived.ferry().retention().runOnce().await(10, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(1, removed);
      assertEquals(List.of(fresh), ids(Lifecycle.get(shortLived, "/v2/events")));
      assertEquals(
          200,
          shortLived.send(HttpMethod.GET, "/v2/messages/" + old, Map.of(), null).statusCode(),
          "the message itself is still pending");
    }
  }

  private String publish(String url, Map<String, String> headers, String body) throws Exception {
    return Lifecycle.publish(ferry, url, headers, body);
  }

  private JsonObject get(String uri) throws Exception {
    return Lifecycle.get(ferry, uri);
  }

  static List<JsonObject> events(JsonObject page) {
    List<JsonObject> out = new ArrayList<>();
    page.getJsonArray(page.containsKey("logs") ? "logs" : "events")
        .forEach(e -> out.add((JsonObject) e));
    return out;
  }

  static List<String> states(List<JsonObject> events) {
    return events.stream().map(e -> e.getString("state")).toList();
  }

  static List<String> ids(JsonObject page) {
    return events(page).stream().map(e -> e.getString("messageId")).toList();
  }
}
