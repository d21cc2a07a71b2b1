package dev.ferry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.GatewayTest;
import dev.ferry.testing.TestClock;
import dev.ferry.testing.TestFerry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Upstash-Deduplication-Id and content-based deduplication over HTTP: 202 + original id, per
 * endpoint, windows.
 */
class DeduplicationTest extends GatewayTest {
  private final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));

  @Override
  protected Clock clock() {
    return clock;
  }

  @Test
  void a_duplicate_is_answered_202_with_the_original_id_and_not_delivered_again() throws Exception {
    HttpResponse<Buffer> first =
        ferry.publish(sink.url("/d"), Map.of("Upstash-Deduplication-Id", "order-1"), "a");
    assertEquals(201, first.statusCode());
    String id = first.bodyAsJsonObject().getString("messageId");
    assertFalse(first.bodyAsJsonObject().containsKey("deduplicated"));
    HttpResponse<Buffer> again =
        ferry.publish(sink.url("/d"), Map.of("upstash-deduplication-id", "order-1"), "b");
    assertEquals(202, again.statusCode(), again.bodyAsString());
    assertEquals(
        new JsonObject().put("messageId", id).put("url", sink.url("/d")).put("deduplicated", true),
        again.bodyAsJsonObject());
    sink.await("/d", 1, 5_000);
    Thread.sleep(300);
    assertEquals(1, sink.received("/d").size());
    assertEquals("a", sink.received("/d").get(0).body().toString());
  }

  @Test
  void ids_are_per_tenant_and_enqueue_is_deduplicated_too() throws Exception {
    ferry.publish(sink.url("/d"), Map.of("Upstash-Deduplication-Id", "x"), "a");
    HttpResponse<Buffer> other =
        ferry.await(
            () ->
                ferry
                    .request(HttpMethod.POST, "/v2/publish/" + sink.url("/d"))
                    .bearerTokenAuthentication(TestFerry.OTHER_TOKEN)
                    .putHeader("Upstash-Deduplication-Id", "x")
                    .sendBuffer(Buffer.buffer("b")));
    assertEquals(201, other.statusCode(), "another tenant's id is its own");
    HttpResponse<Buffer> q1 =
        ferry.send(
            HttpMethod.POST,
            "/v2/enqueue/q/" + sink.url("/q"),
            Map.of("Upstash-Deduplication-Id", "y"),
            "1");
    HttpResponse<Buffer> q2 =
        ferry.send(
            HttpMethod.POST,
            "/v2/enqueue/q/" + sink.url("/q"),
            Map.of("Upstash-Deduplication-Id", "y"),
            "1");
    assertEquals(201, q1.statusCode());
    assertEquals(202, q2.statusCode());
    assertEquals(
        q1.bodyAsJsonObject().getString("messageId"), q2.bodyAsJsonObject().getString("messageId"));
  }

  @Test
  void content_based_ids_hash_destination_body_and_forwarded_headers() throws Exception {
    Map<String, String> on =
        Map.of("Upstash-Content-Based-Deduplication", "True", "Content-Type", "text/plain");
    String id = ferry.publish(sink.url("/c"), on, "same").bodyAsJsonObject().getString("messageId");
    HttpResponse<Buffer> dup =
        ferry.publish(
            sink.url("/c"),
            Map.of(
                "Upstash-Content-Based-Deduplication",
                "true",
                "Content-Type",
                "text/plain",
                "Upstash-Retries",
                "0"),
            "same");
    assertEquals(202, dup.statusCode(), "retries are configuration, not content");
    assertEquals(id, dup.bodyAsJsonObject().getString("messageId"));
    assertEquals(201, ferry.publish(sink.url("/c"), on, "other body").statusCode());
    assertEquals(201, ferry.publish(sink.url("/c2"), on, "same").statusCode());
    assertEquals(
        201,
        ferry
            .publish(
                sink.url("/c"),
                Map.of(
                    "Upstash-Content-Based-Deduplication",
                    "true",
                    "Content-Type",
                    "text/plain",
                    "Upstash-Forward-X-A",
                    "1"),
                "same")
            .statusCode());
    assertEquals(
        201,
        ferry
            .publish(
                sink.url("/c"),
                Map.of(
                    "Upstash-Content-Based-Deduplication", "false", "Content-Type", "text/plain"),
                "same")
            .statusCode());
    HttpResponse<Buffer> bad =
        ferry.publish(sink.url("/c"), Map.of("Upstash-Content-Based-Deduplication", "yes"), "");
    assertEquals(400, bad.statusCode());
  }

  @Test
  void url_groups_are_deduplicated_per_endpoint() throws Exception {
    addEndpoint("team", "/e1");
    addEndpoint("team", "/e2");
    HttpResponse<Buffer> first =
        ferry.publish("team", Map.of("Upstash-Deduplication-Id", "g"), "x");
    assertEquals(201, first.statusCode());
    JsonArray original = first.bodyAsJsonArray();
    HttpResponse<Buffer> again =
        ferry.publish("team", Map.of("Upstash-Deduplication-Id", "g"), "x");
    assertEquals(202, again.statusCode(), again.bodyAsString());
    for (int i = 0; i < 2; i++) {
      assertEquals(
          original.getJsonObject(i).getString("messageId"),
          again.bodyAsJsonArray().getJsonObject(i).getString("messageId"));
      assertTrue(again.bodyAsJsonArray().getJsonObject(i).getBoolean("deduplicated"));
    }
    addEndpoint("team", "/e3");
    HttpResponse<Buffer> grown =
        ferry.publish("team", Map.of("Upstash-Deduplication-Id", "g"), "x");
    assertEquals(201, grown.statusCode(), "a new endpoint's message is new");
    JsonArray items = grown.bodyAsJsonArray();
    assertEquals(3, items.size());
    assertEquals(
        2, items.stream().filter(o -> ((JsonObject) o).getBoolean("deduplicated", false)).count());
    JsonObject fresh =
        items.stream()
            .map(JsonObject.class::cast)
            .filter(o -> !o.getBoolean("deduplicated", false))
            .findFirst()
            .orElseThrow();
    assertEquals(sink.url("/e3"), fresh.getString("url"));
    sink.await("/e3", 1, 5_000);
    Thread.sleep(300);
    assertEquals(1, sink.received("/e1").size());
    assertEquals(1, sink.received("/e2").size());
  }

  @Test
  void batches_deduplicate_against_earlier_publishes_and_within_themselves() throws Exception {
    String id =
        ferry
            .publish(sink.url("/b"), Map.of("Upstash-Deduplication-Id", "b1"), "x")
            .bodyAsJsonObject()
            .getString("messageId");
    JsonArray batch =
        new JsonArray()
            .add(entry("/b", "b1"))
            .add(entry("/b", "b2"))
            .add(entry("/b", "b2"))
            .add(new JsonObject().put("destination", sink.url("/b")).put("body", "free"));
    HttpResponse<Buffer> r =
        ferry.send(
            HttpMethod.POST,
            "/v2/batch",
            Map.of("Content-Type", "application/json"),
            batch.encode());
    assertEquals(200, r.statusCode());
    JsonArray out = r.bodyAsJsonArray();
    assertEquals(id, out.getJsonObject(0).getString("messageId"));
    assertTrue(out.getJsonObject(0).getBoolean("deduplicated"));
    assertFalse(out.getJsonObject(1).containsKey("deduplicated"));
    assertEquals(
        out.getJsonObject(1).getString("messageId"), out.getJsonObject(2).getString("messageId"));
    assertTrue(out.getJsonObject(2).getBoolean("deduplicated"));
    assertFalse(out.getJsonObject(3).containsKey("deduplicated"));
    sink.await("/b", 3, 5_000);
    Thread.sleep(300);
    assertEquals(3, sink.received("/b").size());
  }

  @Test
  void the_window_expires_and_survives_a_restart() throws Exception {
    String id =
        ferry
            .publish(sink.url("/w"), Map.of("Upstash-Deduplication-Id", "w"), "x")
            .bodyAsJsonObject()
            .getString("messageId");
    ferry.restart();
    clock.jumpTo(clock.instant().plus(Duration.ofMinutes(9)));
    HttpResponse<Buffer> within =
        ferry.publish(sink.url("/w"), Map.of("Upstash-Deduplication-Id", "w"), "x");
    assertEquals(202, within.statusCode(), "remembered across a restart");
    assertEquals(id, within.bodyAsJsonObject().getString("messageId"));
    clock.jumpTo(clock.instant().plus(Duration.ofMinutes(1).plusSeconds(1)));
    HttpResponse<Buffer> after =
        ferry.publish(sink.url("/w"), Map.of("Upstash-Deduplication-Id", "w"), "x");
    assertEquals(201, after.statusCode(), "the 10-minute window is over");
    assertNotEquals(id, after.bodyAsJsonObject().getString("messageId"));
  }

  private JsonObject entry(String path, String dedupId) {
    return new JsonObject()
        .put("destination", sink.url(path))
        .put("body", dedupId)
        .put("headers", new JsonObject().put("Upstash-Deduplication-Id", dedupId));
  }

  private void addEndpoint(String group, String path) throws Exception {
    HttpResponse<Buffer> r =
        ferry.send(
            HttpMethod.POST,
            "/v2/topics/" + group + "/endpoints",
            Map.of(),
            new JsonObject()
                .put("endpoints", new JsonArray().add(new JsonObject().put("url", sink.url(path))))
                .encode());
    assertEquals(200, r.statusCode(), r.bodyAsString());
  }
}
