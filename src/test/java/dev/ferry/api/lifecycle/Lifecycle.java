package dev.ferry.api.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.testing.TestFerry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Shared steps of the lifecycle tests (publish, read, wait for log states). JUnit thread only. */
final class Lifecycle {
  private Lifecycle() {}

  static String publish(TestFerry ferry, String url, Map<String, String> headers, String body) throws Exception {
    HttpResponse<Buffer> r = ferry.publish(url, headers, body);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getString("messageId");
  }

  static JsonObject get(TestFerry ferry, String uri) throws Exception {
    HttpResponse<Buffer> r = ferry.send(HttpMethod.GET, uri, Map.of(), null);
    assertEquals(200, r.statusCode(), uri + ": " + r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  static JsonObject getAs(TestFerry ferry, String token, String uri) throws Exception {
    HttpResponse<Buffer> r =
        ferry.await(() -> ferry.request(HttpMethod.GET, uri).bearerTokenAuthentication(token).send());
    assertEquals(200, r.statusCode(), uri + ": " + r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  /** Publishes with no retries to a path that fails, and waits until the message has its DLQ entry; its dlqId. */
  static String deadLetter(TestFerry ferry, String url, Map<String, String> headers, String body) throws Exception {
    Map<String, String> h = new HashMap<>(headers);
    h.put("Upstash-Retries", "0");
    String id = publish(ferry, url, h, body);
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      JsonArray m = get(ferry, "/v2/dlq?messageId=" + id).getJsonArray("messages");
      if (!m.isEmpty()) return m.getJsonObject(0).getString("dlqId");
      Thread.sleep(20);
    }
    throw new AssertionError(id + " did not reach the DLQ");
  }

  /**
   * Waits until {@code uri} (a logs query) answers at least {@code n} entries: the log is written asynchronously, a
   * few milliseconds behind the transitions it records.
   */
  static JsonObject awaitEntries(TestFerry ferry, String uri, int n) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    JsonObject page = get(ferry, uri);
    while (page.getJsonArray("events").size() < n && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
      page = get(ferry, uri);
    }
    assertEquals(n, page.getJsonArray("events").size(), uri + ": " + page.encode());
    return page;
  }

  /** Waits until the message's log (newest first) has an entry in {@code state}; returns all its entries. */
  static List<JsonObject> awaitStates(TestFerry ferry, String id, String state) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    List<JsonObject> events = List.of();
    while (System.currentTimeMillis() < deadline) {
      events = new ArrayList<>();
      for (Object e : get(ferry, "/v2/events?messageIds=" + id).getJsonArray("events")) events.add((JsonObject) e);
      if (events.stream().anyMatch(e -> state.equals(((JsonObject) e).getString("state")))) {
        Thread.sleep(150);  // let entries written right after it land too
        events = new ArrayList<>();
        for (Object e : get(ferry, "/v2/events?messageIds=" + id).getJsonArray("events")) events.add((JsonObject) e);
        return events;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no " + state + " entry for " + id + " within 10s; entries: " + events);
  }
}
