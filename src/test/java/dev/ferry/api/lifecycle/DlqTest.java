package dev.ferry.api.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.GatewayTest;
import dev.ferry.testing.Polls;
import dev.ferry.testing.Sink;
import dev.ferry.testing.TestFerry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /v2/dlq}: list, filters, order, cursors, get, delete, bulk delete and retry (query and
 * legacy body).
 */
class DlqTest extends GatewayTest {

  @BeforeEach
  void failingDestinations() {
    sink.on("/dead", r -> new Sink.Reply(500, Map.of("X-Err", "e1"), "{\"broken\":true}", 0));
    sink.on("/dead2", r -> new Sink.Reply(404, Map.of(), "", 0));
  }

  @Test
  void a_failed_message_is_listed_and_fetched_with_its_last_response() throws Exception {
    String id =
        fail(
            "/dead", Map.of("Upstash-Label", "x", "Content-Type", "application/json"), "{\"a\":1}");
    JsonObject list = get("/v2/dlq");
    assertEquals(1, list.getJsonArray("messages").size());
    assertFalse(list.containsKey("cursor"));
    JsonObject m = list.getJsonArray("messages").getJsonObject(0);
    assertEquals(id, m.getString("messageId"));
    assertEquals(500, m.getInteger("responseStatus"));
    assertEquals("{\"broken\":true}", m.getString("responseBody"));
    assertEquals(
        new JsonArray().add("e1"), m.getJsonObject("responseHeader").getJsonArray("X-Err"));
    assertEquals("{\"a\":1}", m.getString("body"));
    assertEquals("x", m.getString("label"));
    String dlqId = m.getString("dlqId");
    assertTrue(dlqId.matches("\\d+-\\d+"), dlqId);
    assertEquals(m, get("/v2/dlq/" + dlqId));
    assertEquals(404, status(HttpMethod.GET, "/v2/dlq/1-0"));
  }

  @Test
  void filters_order_and_cursors() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++)
      ids.add(fail(i % 2 == 0 ? "/dead" : "/dead2", Map.of("Upstash-Label", "l" + i), "x"));
    assertEquals(List.of(ids.get(1), ids.get(3)), messageIds(get("/v2/dlq?responseStatus=404")));
    assertEquals(List.of(ids.get(0), ids.get(4)), messageIds(get("/v2/dlq?label=l0&label=l4")));
    assertEquals(List.of(ids.get(2)), messageIds(get("/v2/dlq?messageId=" + ids.get(2))));
    assertEquals(
        List.of(ids.get(1), ids.get(3)), messageIds(get("/v2/dlq?url=" + sink.url("/dead2"))));
    assertEquals(List.of(), messageIds(get("/v2/dlq?queueName=nope")));
    assertEquals(List.of(), messageIds(get("/v2/dlq?toDate=1")));
    for (String order : List.of("earliestFirst", "latestFirst")) {
      List<String> seen = new ArrayList<>();
      String cursor = null;
      do {
        JsonObject page =
            get("/v2/dlq?count=2&order=" + order + (cursor == null ? "" : "&cursor=" + cursor));
        seen.addAll(messageIds(page));
        cursor = page.getString("cursor");
      } while (cursor != null);
      List<String> expected = new ArrayList<>(ids);
      if (order.equals("latestFirst")) java.util.Collections.reverse(expected);
      assertEquals(expected, seen, order);
    }
    JsonObject some =
        get("/v2/dlq?dlqIds=" + dlqIdOf(ids.get(0)) + "&dlqIds=" + dlqIdOf(ids.get(3)));
    assertEquals(List.of(ids.get(0), ids.get(3)), messageIds(some));
  }

  @Test
  void host_and_path_filters_and_bad_parameters_are_400() throws Exception {
    for (String q :
        List.of(
            "host=127.0.0.1",
            "path=/dead",
            "order=up",
            "count=0",
            "responseStatus=abc",
            "fromDate=x")) {
      HttpResponse<Buffer> r = ferry.send(HttpMethod.GET, "/v2/dlq?" + q, Map.of(), null);
      assertEquals(400, r.statusCode(), q);
      assertTrue(r.bodyAsJsonObject().getString("error").length() > 0);
    }
  }

  @Test
  void delete_one_then_404_and_bulk_delete_by_query_body_and_all() throws Exception {
    List<String> dlqIds = new ArrayList<>();
    for (int i = 0; i < 5; i++)
      dlqIds.add(dlqIdOf(fail("/dead", Map.of("Upstash-Label", i < 2 ? "del" : "keep"), "x")));
    assertEquals(200, status(HttpMethod.DELETE, "/v2/dlq/" + dlqIds.get(0)));
    assertEquals(404, status(HttpMethod.DELETE, "/v2/dlq/" + dlqIds.get(0)));
    assertEquals(404, status(HttpMethod.GET, "/v2/dlq/" + dlqIds.get(0)));
    assertEquals(1, bulkDelete("?label=del", null).getInteger("deleted"));
    assertEquals(
        1,
        bulkDelete(
                "", new JsonObject().put("dlqIds", new JsonArray().add(dlqIds.get(2)).add("9-9")))
            .getInteger("deleted"));
    JsonObject first = bulkDelete("?count=1", null);
    assertEquals(1, first.getInteger("deleted"));
    assertTrue(first.containsKey("cursor"), first.encode());
    JsonObject rest = bulkDelete("?count=1&cursor=" + first.getString("cursor"), null);
    assertEquals(1, rest.getInteger("deleted"));
    assertEquals(0, get("/v2/dlq").getJsonArray("messages").size());
  }

  @Test
  void retry_one_publishes_a_new_message_with_overrides_and_removes_the_entry() throws Exception {
    String id =
        fail(
            "/dead",
            Map.of(
                "Upstash-Forward-X-Keep",
                "k",
                "Content-Type",
                "text/plain",
                "Upstash-Method",
                "PUT",
                "Upstash-Label",
                "lab"),
            "payload");
    String dlqId = dlqIdOf(id);
    sink.on("/dead", r -> Sink.Reply.status(200));
    HttpResponse<Buffer> r =
        ferry.send(
            HttpMethod.POST,
            "/v2/dlq/retry/" + dlqId,
            Map.of("Upstash-Retries", "0", "Upstash-Forward-X-New", "n"),
            null);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    String newId = r.bodyAsJsonObject().getString("messageId");
    assertNotEquals(id, newId);
    List<Sink.Received> got = sink.await("/dead", 2, 10_000);
    Sink.Received retried = got.get(got.size() - 1);
    assertEquals(newId, retried.header("Upstash-Message-Id"));
    assertEquals("PUT", retried.method());
    assertEquals("payload", retried.body().toString());
    assertEquals("k", retried.header("X-Keep"));
    assertEquals("n", retried.header("X-New"));
    assertEquals("text/plain", retried.header("Content-Type"));
    assertEquals(404, status(HttpMethod.GET, "/v2/dlq/" + dlqId));
    assertEquals(404, status(HttpMethod.POST, "/v2/dlq/retry/" + dlqId));
    List<JsonObject> events = Lifecycle.awaitStates(ferry, newId, "DELIVERED");
    assertEquals(0, events.get(events.size() - 1).getInteger("maxRetries", 0));
    assertEquals("lab", events.get(events.size() - 1).getString("label"));
  }

  @Test
  void bulk_retry_by_ids_by_filter_with_cursor_and_unknown_ids_404() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) ids.add(fail("/dead", Map.of(), "r" + i));
    sink.on("/dead", r -> Sink.Reply.status(200));
    HttpResponse<Buffer> missing =
        ferry.send(
            HttpMethod.POST,
            "/v2/dlq/retry?dlqIds=" + dlqIdOf(ids.get(0)) + "&dlqIds=1-1",
            Map.of(),
            null);
    assertEquals(404, missing.statusCode());
    JsonObject byId =
        retry("", new JsonObject().put("dlqIds", new JsonArray().add(dlqIdOf(ids.get(0)))));
    assertEquals(1, byId.getJsonArray("responses").size());
    assertEquals("", byId.getString("cursor"));
    JsonObject page = retry("?count=1", null);
    assertEquals(1, page.getJsonArray("responses").size());
    assertNotEquals("", page.getString("cursor"));
    JsonObject last = retry("?count=1&cursor=" + page.getString("cursor"), null);
    assertEquals(1, last.getJsonArray("responses").size());
    assertEquals("", last.getString("cursor"));
    sink.await("/dead", 6, 10_000);
    assertEquals(0, get("/v2/dlq").getJsonArray("messages").size());
  }

  @Test
  void another_tenant_cannot_see_touch_or_retry_the_entries() throws Exception {
    String dlqId = dlqIdOf(fail("/dead", Map.of(), "x"));
    for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.DELETE)) {
      HttpResponse<Buffer> r =
          ferry.await(
              () ->
                  ferry
                      .request(method, "/v2/dlq/" + dlqId)
                      .bearerTokenAuthentication(TestFerry.OTHER_TOKEN)
                      .send());
      assertEquals(404, r.statusCode());
    }
    HttpResponse<Buffer> list =
        ferry.await(
            () ->
                ferry
                    .request(HttpMethod.GET, "/v2/dlq")
                    .bearerTokenAuthentication(TestFerry.OTHER_TOKEN)
                    .send());
    assertEquals(0, list.bodyAsJsonObject().getJsonArray("messages").size());
    assertEquals(200, status(HttpMethod.GET, "/v2/dlq/" + dlqId));
  }

  @Test
  void the_dlq_size_gauge_follows_deletes_retries_and_expiry() throws Exception {
    String a = dlqIdOf(fail("/dead", Map.of(), "1"));
    String b = dlqIdOf(fail("/dead", Map.of(), "2"));
    fail("/dead", Map.of(), "3");
    assertEquals(3, dlqGauge());
    assertEquals(200, status(HttpMethod.DELETE, "/v2/dlq/" + a));
    assertEquals(2, dlqGauge());
    assertEquals(
        201,
        ferry
            .send(HttpMethod.POST, "/v2/dlq/retry/" + b, Map.of("Upstash-Retries", "0"), null)
            .statusCode());
    sink.await("/dead", 4, 10_000);
    // the retried message fails again: back into the DLQ
    Polls.within(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(2, dlqGauge()));
    assertEquals(2, bulkDelete("", null).getInteger("deleted"));
    assertEquals(0, dlqGauge());
  }

  private double dlqGauge() {
    return ferry
        .ferry()
        .metrics()
        .registry()
        .get(dev.ferry.metrics.FerryMetrics.DLQ_SIZE)
        .tag("tenant", "a")
        .gauge()
        .value();
  }

  @Test
  void retention_expires_old_entries_only() throws Exception {
    String dlqId = dlqIdOf(fail("/dead", Map.of(), "x"));
    assertEquals(
        0,
        ferry
            .ferry()
            .stores()
            .dlq()
            .expire(Long.parseLong(dlqId.split("-")[0]), 100)
            .await(5, TimeUnit.SECONDS));
    assertEquals(
        1,
        ferry
            .ferry()
            .stores()
            .dlq()
            .expire(System.currentTimeMillis() + 1, 100)
            .await(5, TimeUnit.SECONDS));
    assertEquals(404, status(HttpMethod.GET, "/v2/dlq/" + dlqId));
  }

  private String fail(String path, Map<String, String> headers, String body) throws Exception {
    Map<String, String> h = new HashMap<>(headers);
    h.put("Upstash-Retries", "0");
    String id = Lifecycle.publish(ferry, sink.url(path), h, body);
    Polls.within(Duration.ofSeconds(10))
        .alias(id + " reaching the DLQ")
        .until(() -> dlqIdOrNull(id) != null);
    return id;
  }

  private String dlqIdOf(String messageId) throws Exception {
    String id = dlqIdOrNull(messageId);
    assertTrue(id != null, messageId + " is not in the DLQ");
    return id;
  }

  private String dlqIdOrNull(String messageId) throws Exception {
    JsonArray m = get("/v2/dlq?messageId=" + messageId).getJsonArray("messages");
    return m.isEmpty() ? null : m.getJsonObject(0).getString("dlqId");
  }

  private JsonObject bulkDelete(String query, JsonObject body) throws Exception {
    HttpResponse<Buffer> r =
        ferry.send(
            HttpMethod.DELETE, "/v2/dlq" + query, Map.of(), body == null ? null : body.encode());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  private JsonObject retry(String query, JsonObject body) throws Exception {
    HttpResponse<Buffer> r =
        ferry.send(
            HttpMethod.POST,
            "/v2/dlq/retry" + query,
            Map.of(),
            body == null ? null : body.encode());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  private JsonObject get(String uri) throws Exception {
    return Lifecycle.get(ferry, uri);
  }

  private int status(HttpMethod method, String uri) throws Exception {
    return ferry.send(method, uri, Map.of(), null).statusCode();
  }

  private static List<String> messageIds(JsonObject page) {
    List<String> out = new ArrayList<>();
    page.getJsonArray("messages").forEach(m -> out.add(((JsonObject) m).getString("messageId")));
    return out;
  }
}
