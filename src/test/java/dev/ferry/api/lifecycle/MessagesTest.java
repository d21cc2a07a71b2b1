package dev.ferry.api.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.GatewayTest;
import dev.ferry.testing.Sink;
import dev.ferry.testing.TestFerry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v2/messages/{id}}, {@code DELETE /v2/messages/{id}} and bulk {@code DELETE
 * /v2/messages}.
 */
class MessagesTest extends GatewayTest {

  @Test
  void a_pending_message_is_shown_with_every_field_and_binary_bodies_as_base64() throws Exception {
    String id =
        Lifecycle.publish(
            ferry,
            sink.url("/get?q=1"),
            Map.of(
                "Upstash-Delay",
                "1h",
                "Content-Type",
                "text/plain",
                "Upstash-Forward-X-Trace",
                "t1",
                "Upstash-Retries",
                "2",
                "Upstash-Label",
                "a,b",
                "Upstash-Retry-Delay",
                "1000",
                "Upstash-Method",
                "PUT"),
            "héllo");
    JsonObject m = Lifecycle.get(ferry, "/v2/messages/" + id);
    assertEquals(id, m.getString("messageId"));
    assertEquals(sink.url("/get?q=1"), m.getString("url"));
    assertEquals("PUT", m.getString("method"));
    assertEquals("héllo", m.getString("body"));
    assertFalse(m.containsKey("bodyBase64"));
    assertEquals(new JsonArray().add("t1"), m.getJsonObject("header").getJsonArray("X-Trace"));
    assertEquals(
        new JsonArray().add("text/plain"), m.getJsonObject("header").getJsonArray("Content-Type"));
    assertEquals(2, m.getInteger("maxRetries"));
    assertEquals("1000", m.getString("retryDelayExpression"));
    assertTrue(m.getLong("notBefore") > m.getLong("createdAt"));
    assertEquals("127.0.0.1", m.getString("callerIP"));
    assertEquals("a", m.getString("label"));
    assertEquals(new JsonArray().add("a").add("b"), m.getJsonArray("labels"));
    assertFalse(m.containsKey("topicName"));
    assertFalse(m.containsKey("queueName"));

    HttpResponse<Buffer> r =
        ferry.await(
            () ->
                ferry
                    .request(HttpMethod.POST, "/v2/publish/" + sink.url("/bin"))
                    .putHeader("Upstash-Delay", "1h")
                    .sendBuffer(Buffer.buffer(new byte[] {(byte) 0xff, 0, 1})));
    JsonObject bin =
        Lifecycle.get(ferry, "/v2/messages/" + r.bodyAsJsonObject().getString("messageId"));
    assertEquals("/wAB", bin.getString("bodyBase64"));
    assertFalse(bin.containsKey("body"));
  }

  @Test
  void unknown_delivered_and_other_tenants_messages_are_404() throws Exception {
    assertEquals(404, status(HttpMethod.GET, "/v2/messages/msg_nope"));
    String done = Lifecycle.publish(ferry, sink.url("/done"), Map.of(), "x");
    sink.await("/done", 1, 10_000);
    Lifecycle.awaitStates(ferry, done, "DELIVERED");
    assertEquals(404, status(HttpMethod.GET, "/v2/messages/" + done));
    String mine = Lifecycle.publish(ferry, sink.url("/mine"), Map.of("Upstash-Delay", "1h"), "x");
    HttpResponse<Buffer> other =
        ferry.await(
            () ->
                ferry
                    .request(HttpMethod.GET, "/v2/messages/" + mine)
                    .bearerTokenAuthentication(TestFerry.OTHER_TOKEN)
                    .send());
    assertEquals(404, other.statusCode());
    HttpResponse<Buffer> cancel =
        ferry.await(
            () ->
                ferry
                    .request(HttpMethod.DELETE, "/v2/messages/" + mine)
                    .bearerTokenAuthentication(TestFerry.OTHER_TOKEN)
                    .send());
    assertEquals(404, cancel.statusCode());
    assertEquals(200, status(HttpMethod.GET, "/v2/messages/" + mine));
  }

  @Test
  void a_cancelled_message_is_never_delivered_and_logs_cancel_requested_then_canceled()
      throws Exception {
    String id = Lifecycle.publish(ferry, sink.url("/cancel"), Map.of("Upstash-Delay", "2s"), "x");
    HttpResponse<Buffer> r = ferry.send(HttpMethod.DELETE, "/v2/messages/" + id, Map.of(), null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(1, r.bodyAsJsonObject().getInteger("cancelled"));
    assertEquals(404, status(HttpMethod.GET, "/v2/messages/" + id));
    assertEquals(404, status(HttpMethod.DELETE, "/v2/messages/" + id));
    List<String> expected = List.of("CANCELED", "CANCEL_REQUESTED", "CREATED");
    List<String> states = LogsTest.states(Lifecycle.awaitLog(ferry, id, expected));
    assertEquals(expected, states);
    Thread.sleep(2500);
    assertEquals(0, sink.received("/cancel").size());
  }

  @Test
  void cancelling_queued_messages_behind_a_busy_head_skips_them_and_keeps_lag_exact()
      throws Exception {
    sink.on(
        "/q",
        rec -> new Sink.Reply(200, Map.of(), "", rec.body().toString().equals("0") ? 800 : 0));
    String[] ids = new String[4];
    for (int i = 0; i < 4; i++) {
      HttpResponse<Buffer> r =
          ferry.send(HttpMethod.POST, "/v2/enqueue/jobs/" + sink.url("/q"), Map.of(), "" + i);
      assertEquals(201, r.statusCode(), r.bodyAsString());
      ids[i] = r.bodyAsJsonObject().getString("messageId");
    }
    sink.await(
        "/q", 1, 10_000); // the head is in flight (slow), the rest wait in the dispatcher's window
    assertEquals(
        200, ferry.send(HttpMethod.DELETE, "/v2/messages/" + ids[1], Map.of(), null).statusCode());
    assertEquals(
        200, ferry.send(HttpMethod.DELETE, "/v2/messages/" + ids[2], Map.of(), null).statusCode());
    assertEquals(2, Lifecycle.get(ferry, "/v2/queues/jobs").getInteger("lag"));
    List<Sink.Received> got = sink.await("/q", 2, 10_000);
    Thread.sleep(500);
    assertEquals(
        List.of("0", "3"), sink.received("/q").stream().map(x -> x.body().toString()).toList());
    assertEquals(2, got.size());
    assertEquals(0, Lifecycle.get(ferry, "/v2/queues/jobs").getInteger("lag"));
  }

  @Test
  void an_attempt_in_flight_when_cancelled_completes_but_nothing_comes_back() throws Exception {
    sink.on("/inflight", rec -> new Sink.Reply(500, Map.of(), "", 600));
    String id =
        Lifecycle.publish(
            ferry,
            sink.url("/inflight"),
            Map.of("Upstash-Retries", "3", "Upstash-Retry-Delay", "100"),
            "x");
    sink.await("/inflight", 1, 10_000);
    assertEquals(
        200, ferry.send(HttpMethod.DELETE, "/v2/messages/" + id, Map.of(), null).statusCode());
    Thread.sleep(1500);
    assertEquals(1, sink.received("/inflight").size(), "no retry after the cancel");
    assertEquals(404, status(HttpMethod.GET, "/v2/messages/" + id));
    assertTrue(
        ferry.ferry().stores().dlq().list("a", null, 10).await(5, TimeUnit.SECONDS).isEmpty());
    List<String> states = LogsTest.states(Lifecycle.awaitStates(ferry, id, "ERROR"));
    assertFalse(states.contains("RETRY"), states.toString());
    assertFalse(states.contains("FAILED"), states.toString());
  }

  @Test
  void a_message_cancelled_while_its_attempt_waits_for_a_connection_is_never_sent()
      throws Exception {
    sink.on("/gated", rec -> new Sink.Reply(200, Map.of(), "", 1_500));
    int connections = 16; // TestFerry's delivery.maxConnectionsPerHost
    for (int i = 0; i < connections; i++) {
      Lifecycle.publish(ferry, sink.url("/gated"), Map.of(), "filler " + i);
    }
    sink.await("/gated", connections, 10_000); // every connection busy for 1.5 s
    String id = Lifecycle.publish(ferry, sink.url("/gated"), Map.of(), "cancelled");
    Lifecycle.awaitStates(ferry, id, "ACTIVE"); // its attempt waits for a connection
    assertEquals(
        200, ferry.send(HttpMethod.DELETE, "/v2/messages/" + id, Map.of(), null).statusCode());
    Thread.sleep(2_500); // the fillers answered; a connection came free long ago
    assertTrue(
        sink.received("/gated").stream().noneMatch(r -> r.body().toString().equals("cancelled")),
        "the cancelled message reached its destination");
    assertEquals(connections, sink.received("/gated").size());
  }

  @Test
  void bulk_cancel_by_query_filters_ids_legacy_body_and_all() throws Exception {
    String a = delayed("/ba", Map.of("Upstash-Label", "red"));
    String b = delayed("/bb", Map.of("Upstash-Label", "blue"));
    String c = delayed("/bc", Map.of());
    String d = delayed("/bd", Map.of());
    String e = delayed("/be", Map.of());
    String other = otherTenant("/bo");

    assertEquals(1, bulk("?label=red&count=100", null));
    assertEquals(404, status(HttpMethod.GET, "/v2/messages/" + a));
    assertEquals(200, status(HttpMethod.GET, "/v2/messages/" + b));
    assertEquals(1, bulk("?url=" + sink.url("/bb"), null));
    assertEquals(
        1, bulk("", new JsonObject().put("messageIds", new JsonArray().add(c).add("msg_unknown"))));
    assertEquals(1, bulk("?messageIds=" + d, null));
    assertEquals(0, bulk("?path=/nothing-here", null));
    assertEquals(1, bulk("", null)); // no filter: every pending message of the tenant
    assertEquals(404, status(HttpMethod.GET, "/v2/messages/" + e));
    HttpResponse<Buffer> stillThere =
        ferry.await(
            () ->
                ferry
                    .request(HttpMethod.GET, "/v2/messages/" + other)
                    .bearerTokenAuthentication(TestFerry.OTHER_TOKEN)
                    .send());
    assertEquals(200, stillThere.statusCode());
  }

  @Test
  void legacy_body_filters_and_bad_input() throws Exception {
    String q1 = delayedInQueue("lq");
    delayed("/keep", Map.of());
    assertEquals(1, bulk("", new JsonObject().put("queueName", "lq")));
    assertEquals(404, status(HttpMethod.GET, "/v2/messages/" + q1));
    assertEquals(
        0, bulk("", new JsonObject().put("topicName", "nope").put("fromDate", 1).put("toDate", 2)));
    HttpResponse<Buffer> bad = ferry.send(HttpMethod.DELETE, "/v2/messages", Map.of(), "[1,2]");
    assertEquals(400, bad.statusCode());
    assertEquals(
        400, ferry.send(HttpMethod.DELETE, "/v2/messages", Map.of(), "{nope").statusCode());
    assertEquals(
        400,
        ferry.send(HttpMethod.DELETE, "/v2/messages?fromDate=abc", Map.of(), null).statusCode());
    assertEquals(
        400, ferry.send(HttpMethod.DELETE, "/v2/messages?count=-1", Map.of(), null).statusCode());
  }

  private String delayed(String path, Map<String, String> headers) throws Exception {
    java.util.HashMap<String, String> h = new java.util.HashMap<>(headers);
    h.put("Upstash-Delay", "1h");
    return Lifecycle.publish(ferry, sink.url(path), h, "x");
  }

  private String delayedInQueue(String queue) throws Exception {
    assertEquals(
        200,
        ferry
            .send(
                HttpMethod.POST,
                "/v2/queues",
                Map.of("Content-Type", "application/json"),
                new JsonObject().put("queueName", queue).put("paused", true).encode())
            .statusCode());
    HttpResponse<Buffer> r =
        ferry.send(HttpMethod.POST, "/v2/enqueue/" + queue + "/" + sink.url("/lq"), Map.of(), "x");
    return r.bodyAsJsonObject().getString("messageId");
  }

  private String otherTenant(String path) throws Exception {
    HttpResponse<Buffer> r =
        ferry.await(
            () ->
                ferry
                    .request(HttpMethod.POST, "/v2/publish/" + sink.url(path))
                    .bearerTokenAuthentication(TestFerry.OTHER_TOKEN)
                    .putHeader("Upstash-Delay", "1h")
                    .send());
    return r.bodyAsJsonObject().getString("messageId");
  }

  private int bulk(String query, JsonObject body) throws Exception {
    HttpResponse<Buffer> r =
        ferry.send(
            HttpMethod.DELETE,
            "/v2/messages" + query,
            body == null ? Map.of() : Map.of("Content-Type", "application/json"),
            body == null ? null : body.encode());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getInteger("cancelled");
  }

  private int status(HttpMethod method, String uri) throws Exception {
    return ferry.send(method, uri, Map.of(), null).statusCode();
  }
}
