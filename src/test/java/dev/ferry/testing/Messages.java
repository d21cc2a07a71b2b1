package dev.ferry.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The steps end-to-end tests share: publish as tenant "a", read a resource, wait for a message's
 * log state.
 */
public final class Messages {
  private Messages() {}

  /** Publishes and checks it was accepted (201); the message id. */
  public static String publish(
      TestFerry ferry, String url, Map<String, String> headers, String body) throws Exception {
    HttpResponse<Buffer> r = ferry.publish(url, headers, body);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getString("messageId");
  }

  /** A GET that must answer 200; its JSON body. */
  public static JsonObject get(TestFerry ferry, String uri) throws Exception {
    HttpResponse<Buffer> r = ferry.send(HttpMethod.GET, uri, Map.of(), null);
    assertEquals(200, r.statusCode(), uri + ": " + r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  /** The message's log entries, newest first. */
  public static List<JsonObject> events(TestFerry ferry, String messageId) throws Exception {
    return get(ferry, "/v2/events?messageIds=" + messageId).getJsonArray("events").stream()
        .map(JsonObject.class::cast)
        .toList();
  }

  /**
   * Waits until the message's log has an entry in {@code state} (the log trails transitions by
   * milliseconds); returns all its entries as read then, newest first.
   */
  public static List<JsonObject> awaitState(
      TestFerry ferry, String messageId, String state, Duration timeout) {
    AtomicReference<List<JsonObject>> events = new AtomicReference<>(List.of());
    Polls.within(timeout)
        .untilAsserted(
            () -> {
              events.set(events(ferry, messageId));
              assertTrue(
                  hasState(events.get(), state),
                  "no " + state + " entry for " + messageId + ": " + events.get());
            });
    return events.get();
  }

  /** The first (newest) entry in {@code state}. */
  public static JsonObject entry(List<JsonObject> events, String state) {
    return events.stream()
        .filter(e -> state.equals(e.getString("state")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + state + " entry in " + events));
  }

  public static boolean hasState(List<JsonObject> events, String state) {
    return events.stream().anyMatch(e -> state.equals(e.getString("state")));
  }
}
