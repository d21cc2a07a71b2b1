package dev.ferry.api.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.GatewayTest;
import dev.ferry.testing.Polls;
import dev.ferry.testing.Sink;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fields QStash always sends, which SDKs read without a default (the Python SDK raises {@code
 * KeyError} when one is missing): {@code notBefore} on messages and DLQ entries also without a
 * delay, {@code period} whenever a flow-control key is shown, and each object's required fields.
 */
class WireFieldsTest extends GatewayTest {
  /**
   * What the Python SDK reads with {@code response["..."]} from a message (and from a DLQ entry,
   * plus dlqId...).
   */
  private static final List<String> MESSAGE_FIELDS =
      List.of("messageId", "url", "method", "maxRetries", "notBefore", "createdAt");

  @Test
  void an_undelayed_message_shows_its_creation_time_as_not_before() throws Exception {
    pausedQueue("held");
    HttpResponse<Buffer> r =
        ferry.send(HttpMethod.POST, "/v2/enqueue/held/" + sink.url("/held"), Map.of(), "x");
    assertEquals(201, r.statusCode(), r.bodyAsString());
    JsonObject m =
        Lifecycle.get(ferry, "/v2/messages/" + r.bodyAsJsonObject().getString("messageId"));
    MESSAGE_FIELDS.forEach(f -> assertTrue(m.containsKey(f), f + " missing from " + m.encode()));
    assertEquals(m.getLong("createdAt"), m.getLong("notBefore"));
  }

  @Test
  void an_undelayed_dead_letter_shows_not_before_in_get_and_list() throws Exception {
    sink.on("/dead", x -> new Sink.Reply(500, Map.of(), "no", 0));
    String id = Lifecycle.publish(ferry, sink.url("/dead"), Map.of("Upstash-Retries", "0"), "x");
    JsonObject entry = awaitDlq(id);
    for (JsonObject e :
        List.of(entry, Lifecycle.get(ferry, "/v2/dlq/" + entry.getString("dlqId")))) {
      MESSAGE_FIELDS.forEach(f -> assertTrue(e.containsKey(f), f + " missing from " + e.encode()));
      assertTrue(e.containsKey("responseStatus") && e.containsKey("dlqId"), e.encode());
      assertEquals(e.getLong("createdAt"), e.getLong("notBefore"));
    }
  }

  @Test
  void a_flow_control_key_with_only_parallelism_or_only_rate_shows_the_default_period()
      throws Exception {
    String parallel =
        Lifecycle.publish(
            ferry,
            sink.url("/fc"),
            Map.of(
                "Upstash-Delay",
                "1h",
                "Upstash-Flow-Control-Key",
                "p",
                "Upstash-Flow-Control-Value",
                "parallelism=2"),
            "x");
    JsonObject m = Lifecycle.get(ferry, "/v2/messages/" + parallel);
    assertEquals("p", m.getString("flowControlKey"));
    assertEquals(2, m.getInteger("parallelism"));
    assertEquals(1, m.getInteger("period"), m.encode());
    assertTrue(!m.containsKey("rate"), m.encode());

    String rated =
        Lifecycle.publish(
            ferry,
            sink.url("/fc"),
            Map.of(
                "Upstash-Delay",
                "1h",
                "Upstash-Flow-Control-Key",
                "r",
                "Upstash-Flow-Control-Value",
                "rate=5"),
            "x");
    JsonObject r = Lifecycle.get(ferry, "/v2/messages/" + rated);
    assertEquals(5, r.getInteger("rate"));
    assertEquals(1, r.getInteger("period"), r.encode());

    JsonObject created = Lifecycle.awaitStates(ferry, parallel, "CREATED").get(0);
    assertEquals("p", created.getString("flowControlKey"));
    assertEquals(1, created.getInteger("period"), "log entry " + created.encode());

    assertEquals(
        200,
        ferry
            .send(HttpMethod.POST, "/v2/flowControl/pinned/pin?parallelism=2", Map.of(), "")
            .statusCode());
    JsonObject key = Lifecycle.get(ferry, "/v2/flowControl/pinned");
    assertEquals(1, key.getInteger("ratePeriod"), "flow-control key " + key.encode());
  }

  @Test
  void a_dead_letter_with_a_parallelism_only_key_shows_the_default_period() throws Exception {
    sink.on("/dead-fc", x -> new Sink.Reply(500, Map.of(), "no", 0));
    String id =
        Lifecycle.publish(
            ferry,
            sink.url("/dead-fc"),
            Map.of(
                "Upstash-Retries",
                "0",
                "Upstash-Flow-Control-Key",
                "k",
                "Upstash-Flow-Control-Value",
                "parallelism=1"),
            "x");
    JsonObject entry = awaitDlq(id);
    assertEquals("k", entry.getString("flowControlKey"));
    assertEquals(1, entry.getInteger("period"), entry.encode());
  }

  @Test
  void a_schedule_flow_control_key_with_only_parallelism_or_only_rate_shows_the_default_period()
      throws Exception {
    for (String value : List.of("parallelism=3", "rate=4")) {
      HttpResponse<Buffer> r =
          ferry.send(
              HttpMethod.POST,
              "/v2/schedules/" + sink.url("/s"),
              Map.of(
                  "Upstash-Cron",
                  "0 0 1 1 *",
                  "Upstash-Flow-Control-Key",
                  "s",
                  "Upstash-Flow-Control-Value",
                  value),
              "");
      assertEquals(200, r.statusCode(), r.bodyAsString());
      JsonObject s =
          Lifecycle.get(ferry, "/v2/schedules/" + r.bodyAsJsonObject().getString("scheduleId"));
      assertEquals("s", s.getString("flowControlKey"));
      assertEquals(1, s.getInteger("period"), value + ": " + s.encode());
      for (String f :
          List.of(
              "scheduleId", "cron", "createdAt", "destination", "method", "retries", "isPaused")) {
        assertTrue(s.containsKey(f), f + " missing from " + s.encode());
      }
    }
  }

  @Test
  void queues_and_url_groups_show_every_field_even_when_zero_false_or_empty() throws Exception {
    HttpResponse<Buffer> r =
        ferry.send(
            HttpMethod.POST,
            "/v2/queues",
            Map.of("Content-Type", "application/json"),
            new JsonObject().put("queueName", "idle").encode());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject q = Lifecycle.get(ferry, "/v2/queues/idle");
    assertEquals(0, q.getInteger("lag"));
    assertEquals(false, q.getBoolean("paused"));
    for (String f : List.of("name", "createdAt", "updatedAt", "parallelism"))
      assertTrue(q.containsKey(f), f);

    ferry.send(
        HttpMethod.POST,
        "/v2/topics/g/endpoints",
        Map.of(),
        new JsonObject()
            .put("endpoints", new JsonArray().add(new JsonObject().put("url", sink.url("/g"))))
            .encode());
    JsonObject g = Lifecycle.get(ferry, "/v2/topics/g");
    for (String f : List.of("name", "createdAt", "updatedAt", "endpoints"))
      assertTrue(g.containsKey(f), f);
    assertEquals(sink.url("/g"), g.getJsonArray("endpoints").getJsonObject(0).getString("url"));
  }

  private void pausedQueue(String name) throws Exception {
    HttpResponse<Buffer> r =
        ferry.send(
            HttpMethod.POST,
            "/v2/queues",
            Map.of("Content-Type", "application/json"),
            new JsonObject()
                .put("queueName", name)
                .put("parallelism", 1)
                .put("paused", true)
                .encode());
    assertEquals(200, r.statusCode(), r.bodyAsString());
  }

  /** Polls the DLQ list until the message's entry is there. */
  private JsonObject awaitDlq(String messageId) {
    return Polls.within(Duration.ofSeconds(10))
        .alias(messageId + " reaching the DLQ")
        .until(
            () -> Lifecycle.get(ferry, "/v2/dlq?messageId=" + messageId).getJsonArray("messages"),
            found -> !found.isEmpty())
        .getJsonObject(0);
  }
}
