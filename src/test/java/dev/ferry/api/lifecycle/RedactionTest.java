package dev.ferry.api.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.GatewayTest;
import dev.ferry.testing.Polls;
import dev.ferry.testing.Sink;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code Upstash-Redact-Fields}: hidden in every API output, delivered as sent. */
class RedactionTest extends GatewayTest {

  @Test
  void body_and_one_header_are_redacted_in_message_output_but_delivered_intact() throws Exception {
    String id =
        Lifecycle.publish(
            ferry,
            sink.url("/r"),
            Map.of(
                "Upstash-Delay",
                "1h",
                "Upstash-Redact-Fields",
                "body, headers[x-secret]",
                "Upstash-Forward-X-Secret",
                "s3cr3t",
                "Upstash-Forward-X-Plain",
                "p"),
            "card=4111");
    JsonObject m = Lifecycle.get(ferry, "/v2/messages/" + id);
    assertEquals(redacted("card=4111"), m.getString("body"));
    assertEquals(
        new JsonArray().add(redacted("s3cr3t")),
        m.getJsonObject("header").getJsonArray("X-Secret"));
    assertEquals(new JsonArray().add("p"), m.getJsonObject("header").getJsonArray("X-Plain"));
    for (Object e :
        Lifecycle.awaitEntries(ferry, "/v2/events?messageIds=" + id, 1).getJsonArray("events")) {
      JsonObject entry = (JsonObject) e;
      assertEquals(redacted("card=4111"), entry.getString("body"));
      assertEquals(
          new JsonArray().add(redacted("s3cr3t")),
          entry.getJsonObject("header").getJsonArray("X-Secret"));
    }
  }

  @Test
  void every_header_redacted_in_the_dlq_and_the_original_delivered_on_retry() throws Exception {
    sink.on("/rd", r -> new Sink.Reply(500, Map.of(), "", 0));
    String id =
        Lifecycle.publish(
            ferry,
            sink.url("/rd"),
            Map.of(
                "Upstash-Retries",
                "0",
                "Upstash-Redact-Fields",
                "header",
                "Upstash-Forward-X-Token",
                "tok",
                "Content-Type",
                "text/plain"),
            "b");
    Sink.Received first = sink.await("/rd", 1, 10_000).get(0);
    assertEquals("tok", first.header("X-Token"));
    JsonObject entry = awaitDlq(id);
    assertEquals(
        new JsonArray().add(redacted("tok")),
        entry.getJsonObject("header").getJsonArray("X-Token"));
    assertEquals(
        new JsonArray().add(redacted("text/plain")),
        entry.getJsonObject("header").getJsonArray("Content-Type"));
    assertEquals("b", entry.getString("body"));
    sink.on("/rd", r -> Sink.Reply.status(200));
    var r =
        ferry.send(HttpMethod.POST, "/v2/dlq/retry/" + entry.getString("dlqId"), Map.of(), null);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    Sink.Received again = sink.await("/rd", 2, 10_000).get(1);
    assertEquals("tok", again.header("X-Token"));
    assertEquals("text/plain", again.header("Content-Type"));
    String newId = r.bodyAsJsonObject().getString("messageId");
    List<JsonObject> events = Lifecycle.awaitStates(ferry, newId, "DELIVERED");
    assertEquals(
        new JsonArray().add(redacted("tok")),
        events.get(0).getJsonObject("header").getJsonArray("X-Token"));
  }

  @Test
  void unknown_fields_are_400() throws Exception {
    var r = ferry.publish(sink.url("/bad"), Map.of("Upstash-Redact-Fields", "body,password"), "x");
    assertEquals(400, r.statusCode());
    assertTrue(r.bodyAsJsonObject().getString("error").contains("Upstash-Redact-Fields"));
  }

  private JsonObject awaitDlq(String messageId) {
    return Polls.within(Duration.ofSeconds(10))
        .alias(messageId + " in the DLQ")
        .until(
            () -> Lifecycle.get(ferry, "/v2/dlq?messageId=" + messageId).getJsonArray("messages"),
            m -> !m.isEmpty())
        .getJsonObject(0);
  }

  static String redacted(String value) throws Exception {
    return "REDACTED:"
        + HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
  }
}
