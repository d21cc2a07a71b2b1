package dev.ferry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.GatewayTest;
import dev.ferry.testing.Jwt;
import dev.ferry.testing.Sink;
import dev.ferry.testing.TestFerry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Upstash-Callback and Upstash-Failure-Callback: ordinary signed, retried messages with QStash's
 * body (docs/compatibility.md#callbacks).
 */
class CallbacksTest extends GatewayTest {

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void callback_after_a_delivery_carries_the_response_and_the_source_field_by_field()
      throws Exception {
    sink.on("/dest", r -> new Sink.Reply(201, Map.of("X-Reply", "r1"), "response ü", 0));
    String cb = sink.url("/cb?x=1");
    HttpResponse<Buffer> r =
        ferry.publish(
            sink.url("/dest"),
            Map.of(
                "Content-Type", "text/plain",
                "Upstash-Forward-X-A", "a",
                "Upstash-Retries", "2",
                "Upstash-Callback", cb,
                "Upstash-Callback-Forward-X-Cb", "for the callback",
                "Upstash-Callback-Method", "PUT"),
            "hello");
    assertEquals(201, r.statusCode(), r.bodyAsString());
    String id = r.bodyAsJsonObject().getString("messageId");

    Sink.Received got = sink.await("/cb", 1, 10_000).get(0);
    assertEquals("PUT", got.method());
    assertEquals("application/json", got.header("Content-Type"));
    assertEquals("for the callback", got.header("X-Cb"));
    assertTrue(got.header("Upstash-Message-Id").startsWith("msg_"));
    assertTrue(!got.header("Upstash-Message-Id").equals(id));
    Jwt.verify(got.header("Upstash-Signature"), TestFerry.CURRENT_KEY, cb, got.body().getBytes());

    JsonObject body = got.body().toJsonObject();
    assertEquals(201, body.getInteger("status"));
    assertEquals(new JsonArray().add("r1"), body.getJsonObject("header").getJsonArray("X-Reply"));
    assertEquals(b64("response ü"), body.getString("body"));
    assertEquals(0, body.getInteger("retried"));
    assertEquals(2, body.getInteger("maxRetries"));
    assertNull(body.getValue("dlqId"));
    assertEquals(id, body.getString("sourceMessageId"));
    assertEquals(sink.url("/dest"), body.getString("url"));
    assertEquals("POST", body.getString("method"));
    assertEquals(new JsonArray().add("a"), body.getJsonObject("sourceHeader").getJsonArray("X-A"));
    assertEquals(
        new JsonArray().add("text/plain"),
        body.getJsonObject("sourceHeader").getJsonArray("Content-Type"));
    assertEquals(b64("hello"), body.getString("sourceBody"));
    assertTrue(body.getLong("createdAt") > 0);
    assertEquals(body.getLong("createdAt"), body.getLong("notBefore"));
    assertEquals("127.0.0.1", body.getString("callerIP"));
    assertNull(body.getValue("topicName"));
    assertNull(body.getValue("scheduleId"));
  }

  @Test
  void callback_fires_after_every_attempt_and_failure_callback_once_with_the_dlq_id()
      throws Exception {
    sink.on("/dest", r -> new Sink.Reply(500, Map.of(), "boom", 0));
    HttpResponse<Buffer> r =
        ferry.publish(
            sink.url("/dest"),
            Map.of(
                "Upstash-Retries", "2",
                "Upstash-Retry-Delay", "50",
                "Upstash-Callback", sink.url("/cb"),
                "Upstash-Failure-Callback", sink.url("/failed"),
                "Upstash-Failure-Callback-Forward-X-F", "f"),
            "x");
    assertEquals(201, r.statusCode(), r.bodyAsString());
    String id = r.bodyAsJsonObject().getString("messageId");

    List<Sink.Received> callbacks = sink.await("/cb", 3, 10_000);
    List<Integer> retried =
        callbacks.stream()
            .map(c -> c.body().toJsonObject().getInteger("retried"))
            .sorted()
            .toList();
    assertEquals(List.of(0, 1, 2), retried);
    for (Sink.Received c : callbacks) {
      JsonObject b = c.body().toJsonObject();
      assertEquals(500, b.getInteger("status"));
      assertEquals(2, b.getInteger("maxRetries"));
      assertEquals(b64("boom"), b.getString("body"));
      assertNull(b.getValue("dlqId"));
    }
    Sink.Received failed = sink.await("/failed", 1, 10_000).get(0);
    Jwt.verify(
        failed.header("Upstash-Signature"),
        TestFerry.CURRENT_KEY,
        sink.url("/failed"),
        failed.body().getBytes());
    assertEquals("f", failed.header("X-F"));
    JsonObject b = failed.body().toJsonObject();
    assertEquals(id, b.getString("sourceMessageId"));
    assertEquals(2, b.getInteger("retried"));
    assertEquals(2, b.getInteger("maxRetries"));
    assertEquals(500, b.getInteger("status"));
    assertTrue(b.getString("dlqId").matches("\\d+-\\d+"), b.getString("dlqId"));
    Thread.sleep(300);
    assertEquals(1, sink.received("/failed").size(), "the failure callback fires once");
    assertEquals(3, sink.received("/cb").size());
  }

  @Test
  void a_failing_callback_is_retried_by_its_own_settings() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    sink.on("/cb", r -> Sink.Reply.status(calls.getAndIncrement() == 0 ? 503 : 200));
    HttpResponse<Buffer> r =
        ferry.publish(
            sink.url("/dest"),
            Map.of(
                "Upstash-Retries", "0",
                "Upstash-Callback", sink.url("/cb"),
                "Upstash-Callback-Retries", "1",
                "Upstash-Callback-Retry-Delay", "50"),
            "x");
    assertEquals(201, r.statusCode(), r.bodyAsString());
    List<Sink.Received> got = sink.await("/cb", 2, 10_000);
    assertEquals("0", got.get(0).header("Upstash-Retried"));
    assertEquals("1", got.get(1).header("Upstash-Retried"));
    assertEquals(got.get(0).header("Upstash-Message-Id"), got.get(1).header("Upstash-Message-Id"));
    assertEquals(
        0, got.get(1).body().toJsonObject().getInteger("maxRetries"), "maxRetries of the source");
  }

  @Test
  void queue_with_parallelism_one_waits_for_the_callbacks_of_the_current_message()
      throws Exception {
    sink.on("/slow-cb", r -> new Sink.Reply(200, Map.of(), "", 400));
    for (int i = 0; i < 3; i++) {
      HttpResponse<Buffer> r =
          ferry.send(
              io.vertx.core.http.HttpMethod.POST,
              "/v2/enqueue/cbq/" + sink.url("/dest"),
              Map.of("Upstash-Callback", sink.url("/slow-cb")),
              "m" + i);
      assertEquals(201, r.statusCode(), r.bodyAsString());
    }
    List<Sink.Received> dest = sink.await("/dest", 3, 15_000);
    List<Sink.Received> cbs = sink.await("/slow-cb", 3, 15_000);
    List<Sink.Received> sortedCbs =
        cbs.stream().sorted(Comparator.comparingLong(Sink.Received::atMillis)).toList();
    for (int i = 1; i < 3; i++) {
      long previousCallbackAnswered = sortedCbs.get(i - 1).atMillis() + 400;
      assertTrue(
          dest.get(i).atMillis() >= previousCallbackAnswered - 20,
          "message "
              + i
              + " started "
              + (previousCallbackAnswered - dest.get(i).atMillis())
              + "ms before the previous callback was answered");
      assertEquals("m" + i, dest.get(i).body().toString());
    }
    assertEquals(1, sink.maxConcurrent("/dest"));
  }

  @Test
  void callback_delay_and_timeout_come_from_the_prefixed_headers() throws Exception {
    HttpResponse<Buffer> r =
        ferry.publish(
            sink.url("/dest"),
            Map.of(
                "Upstash-Callback", sink.url("/late-cb"),
                "Upstash-Callback-Delay", "1s",
                "Upstash-Callback-Timeout", "5s"),
            "x");
    assertEquals(201, r.statusCode(), r.bodyAsString());
    Sink.Received dest = sink.await("/dest", 1, 10_000).get(0);
    Sink.Received cb = sink.await("/late-cb", 1, 10_000).get(0);
    assertTrue(
        cb.atMillis() - dest.atMillis() >= 950,
        "callback after " + (cb.atMillis() - dest.atMillis()) + "ms");
  }

  @Test
  void an_invalid_callback_url_is_refused() throws Exception {
    HttpResponse<Buffer> r =
        ferry.publish(sink.url("/dest"), Map.of("Upstash-Callback", "not a url"), "x");
    assertEquals(400, r.statusCode());
    assertTrue(r.bodyAsString().contains("Upstash-Callback"), r.bodyAsString());
    r =
        ferry.publish(
            sink.url("/dest"),
            Map.of("Upstash-Callback", sink.url("/cb"), "Upstash-Callback-Retries", "-1"),
            "x");
    assertEquals(400, r.statusCode());
    assertTrue(r.bodyAsString().contains("Upstash-Callback-Retries"), r.bodyAsString());
  }
}
