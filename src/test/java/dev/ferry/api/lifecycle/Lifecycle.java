package dev.ferry.api.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.testing.Messages;
import dev.ferry.testing.Polls;
import dev.ferry.testing.TestFerry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** Shared steps of the lifecycle tests (publish, read, wait for log states). JUnit thread only. */
final class Lifecycle {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private Lifecycle() {}

  static String publish(TestFerry ferry, String url, Map<String, String> headers, String body)
      throws Exception {
    return Messages.publish(ferry, url, headers, body);
  }

  static JsonObject get(TestFerry ferry, String uri) throws Exception {
    return Messages.get(ferry, uri);
  }

  static JsonObject getAs(TestFerry ferry, String token, String uri) throws Exception {
    HttpResponse<Buffer> r =
        ferry.await(
            () -> ferry.request(HttpMethod.GET, uri).bearerTokenAuthentication(token).send());
    assertEquals(200, r.statusCode(), uri + ": " + r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  /**
   * Publishes with no retries to a path that fails, and waits until the message has its DLQ entry;
   * its dlqId.
   */
  static String deadLetter(TestFerry ferry, String url, Map<String, String> headers, String body)
      throws Exception {
    Map<String, String> h = new HashMap<>(headers);
    h.put("Upstash-Retries", "0");
    String id = publish(ferry, url, h, body);
    return Polls.within(WAIT)
        .alias(id + " reaching the DLQ")
        .until(
            () -> get(ferry, "/v2/dlq?messageId=" + id).getJsonArray("messages"), m -> !m.isEmpty())
        .getJsonObject(0)
        .getString("dlqId");
  }

  /**
   * Waits until {@code uri} (a logs query) answers at least {@code n} entries: the log is written
   * asynchronously, a few milliseconds behind the transitions it records.
   */
  static JsonObject awaitEntries(TestFerry ferry, String uri, int n) throws Exception {
    AtomicReference<JsonObject> page = new AtomicReference<>();
    Polls.waitUpTo(
        WAIT,
        () -> {
          page.set(get(ferry, uri));
          return page.get().getJsonArray("events").size() >= n;
        });
    assertEquals(n, page.get().getJsonArray("events").size(), uri + ": " + page.get().encode());
    return page.get();
  }

  /**
   * Waits until the message's log (newest first) has an entry in {@code state}; returns all its
   * entries.
   */
  static List<JsonObject> awaitStates(TestFerry ferry, String id, String state) throws Exception {
    return Messages.awaitState(ferry, id, state, WAIT);
  }

  /**
   * Waits until the message's log (newest first) is exactly {@code states}: entries of one attempt
   * are written side by side, so the last transition's entry can land before the one next to it.
   */
  static List<JsonObject> awaitLog(TestFerry ferry, String id, List<String> states) {
    AtomicReference<List<JsonObject>> events = new AtomicReference<>(List.of());
    Polls.within(WAIT)
        .untilAsserted(
            () -> {
              events.set(Messages.events(ferry, id));
              assertEquals(states, LogsTest.states(events.get()), id);
            });
    return events.get();
  }
}
