package dev.ferry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.GatewayTest;
import dev.ferry.testing.TestFerry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The schedule management API over HTTP: create, replace, list, get, delete, pause, resume, and
 * refusals.
 */
class SchedulesApiTest extends GatewayTest {

  @Test
  void create_returns_an_id_and_get_shows_the_schedule_object() throws Exception {
    long before = System.currentTimeMillis();
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Upstash-Cron", " */10 * * * * ");
    h.put("Content-Type", "application/json");
    h.put("Upstash-Forward-X-Trace", "abc");
    h.put("Upstash-Method", "PUT");
    h.put("Upstash-Retries", "2");
    h.put("Upstash-Delay", "90s");
    h.put("Upstash-Timeout", "30s");
    h.put("Upstash-Retry-Delay", "1000 * (1 + retried)");
    h.put("Upstash-Label", "nightly,reports");
    h.put("Upstash-Callback", "https://cb.example.com/done");
    h.put("Upstash-Callback-Forward-X-Cb", "1");
    h.put("Upstash-Failure-Callback", "https://cb.example.com/failed");
    h.put("Upstash-Flow-Control-Key", "reports");
    h.put("Upstash-Flow-Control-Value", "parallelism=2, rate=10, period=1m");
    HttpResponse<Buffer> created = create(sink.url("/job?a=1"), h, "{\"x\":1}");
    assertEquals(200, created.statusCode(), created.bodyAsString());
    String id = created.bodyAsJsonObject().getString("scheduleId");
    assertTrue(id.startsWith("scd_"), id);

    JsonObject s = get(id);
    assertEquals(id, s.getString("scheduleId"));
    assertEquals("*/10 * * * *", s.getString("cron"));
    assertEquals(sink.url("/job?a=1"), s.getString("destination"));
    assertEquals("PUT", s.getString("method"));
    assertEquals(
        new JsonObject()
            .put("X-Trace", new JsonArray().add("abc"))
            .put("Content-Type", new JsonArray().add("application/json")),
        s.getJsonObject("header"));
    assertEquals("{\"x\":1}", s.getString("body"));
    assertEquals(2, s.getInteger("retries"));
    assertEquals(90, s.getInteger("delay"));
    assertEquals(30, s.getInteger("timeout"));
    assertEquals("1000 * (1 + retried)", s.getString("retryDelayExpression"));
    assertEquals("nightly", s.getString("label"));
    assertEquals(new JsonArray().add("nightly").add("reports"), s.getJsonArray("labels"));
    assertEquals("https://cb.example.com/done", s.getString("callback"));
    assertEquals(
        new JsonObject().put("X-Cb", new JsonArray().add("1")), s.getJsonObject("callbackHeader"));
    assertEquals("https://cb.example.com/failed", s.getString("failureCallback"));
    assertEquals("reports", s.getString("flowControlKey"));
    assertEquals(2, s.getInteger("parallelism"));
    assertEquals(10, s.getInteger("rate"));
    assertEquals(60, s.getInteger("period"));
    assertEquals("127.0.0.1", s.getString("callerIP"));
    assertEquals("127.0.0.1", s.getString("callerIp"));
    assertFalse(s.getBoolean("isPaused"));
    assertTrue(s.getLong("createdAt") >= before);
    long next = s.getLong("nextScheduleTime");
    assertTrue(
        next > System.currentTimeMillis() - 1000 && next % 600_000 == 0, "next tick " + next);
    for (String absent :
        List.of("queueName", "lastScheduleTime", "lastScheduleStates", "bodyBase64")) {
      assertFalse(s.containsKey(absent), absent + " should be omitted");
    }
  }

  @Test
  void a_given_id_is_created_then_fully_replaced() throws Exception {
    create(
        sink.url("/a"),
        Map.of(
            "Upstash-Cron",
            "0 * * * *",
            "Upstash-Schedule-Id",
            "nightly.report",
            "Upstash-Retries",
            "5",
            "Upstash-Queue-Name",
            "reports"),
        "first");
    HttpResponse<Buffer> again =
        create(
            sink.url("/b"),
            Map.of("Upstash-Cron", "30 4 * * *", "Upstash-Schedule-Id", "nightly.report"),
            null);
    assertEquals("nightly.report", again.bodyAsJsonObject().getString("scheduleId"));
    JsonObject s = get("nightly.report");
    assertEquals("30 4 * * *", s.getString("cron"));
    assertEquals(sink.url("/b"), s.getString("destination"));
    assertEquals(3, s.getInteger("retries"), "replaced whole: the default retries again");
    assertNull(s.getString("body"), "a re-create without body clears the body");
    assertNull(s.getString("queueName"));
    assertEquals(1, list().size());
  }

  @Test
  void list_is_per_tenant_and_sorted_by_id() throws Exception {
    create(sink.url("/x"), Map.of("Upstash-Cron", "* * * * *", "Upstash-Schedule-Id", "b"), "");
    create("my-group", Map.of("Upstash-Cron", "* * * * *", "Upstash-Schedule-Id", "a"), "");
    JsonArray all = list();
    assertEquals(
        List.of("a", "b"),
        all.stream().map(o -> ((JsonObject) o).getString("scheduleId")).toList());
    assertEquals("my-group", all.getJsonObject(0).getString("destination"));
    HttpResponse<Buffer> other =
        ferry.await(
            () ->
                ferry
                    .request(HttpMethod.GET, "/v2/schedules")
                    .bearerTokenAuthentication(TestFerry.OTHER_TOKEN)
                    .send());
    assertEquals(new JsonArray(), other.bodyAsJsonArray());
    HttpResponse<Buffer> foreign =
        ferry.await(
            () ->
                ferry
                    .request(HttpMethod.GET, "/v2/schedules/a")
                    .bearerTokenAuthentication(TestFerry.OTHER_TOKEN)
                    .send());
    assertEquals(404, foreign.statusCode());
  }

  @Test
  void pause_and_resume_with_patch_and_post_are_idempotent() throws Exception {
    create(sink.url("/x"), Map.of("Upstash-Cron", "* * * * *", "Upstash-Schedule-Id", "s1"), "");
    assertEquals(200, send(HttpMethod.PATCH, "/v2/schedules/s1/pause").statusCode());
    assertTrue(get("s1").getBoolean("isPaused"));
    assertFalse(get("s1").containsKey("nextScheduleTime"), "a paused schedule has no next tick");
    assertEquals(200, send(HttpMethod.POST, "/v2/schedules/s1/pause").statusCode());
    assertTrue(get("s1").getBoolean("isPaused"));
    assertEquals(200, send(HttpMethod.POST, "/v2/schedules/s1/resume").statusCode());
    assertFalse(get("s1").getBoolean("isPaused"));
    assertEquals(200, send(HttpMethod.PATCH, "/v2/schedules/s1/resume").statusCode());
    assertFalse(get("s1").getBoolean("isPaused"));
    assertTrue(get("s1").containsKey("nextScheduleTime"));
    assertEquals(404, send(HttpMethod.PATCH, "/v2/schedules/nope/pause").statusCode());
    assertEquals(404, send(HttpMethod.POST, "/v2/schedules/nope/resume").statusCode());
  }

  @Test
  void a_destination_url_ending_in_pause_is_a_create_not_a_command() throws Exception {
    HttpResponse<Buffer> r =
        create(sink.url("/jobs/pause"), Map.of("Upstash-Cron", "* * * * *"), "");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(
        sink.url("/jobs/pause"),
        get(r.bodyAsJsonObject().getString("scheduleId")).getString("destination"));
  }

  @Test
  void delete_removes_and_deleting_again_is_still_200() throws Exception {
    create(sink.url("/x"), Map.of("Upstash-Cron", "* * * * *", "Upstash-Schedule-Id", "gone"), "");
    assertEquals(200, send(HttpMethod.DELETE, "/v2/schedules/gone").statusCode());
    assertEquals(404, send(HttpMethod.GET, "/v2/schedules/gone").statusCode());
    assertEquals(200, send(HttpMethod.DELETE, "/v2/schedules/gone").statusCode());
    assertEquals(new JsonArray(), list());
  }

  @Test
  void invalid_requests_are_refused_with_400_and_the_limit_with_412() throws Exception {
    HttpResponse<Buffer> badCron = create(sink.url("/x"), Map.of("Upstash-Cron", "61 * * * *"), "");
    assertEquals(400, badCron.statusCode());
    assertTrue(
        badCron.bodyAsJsonObject().getString("error").startsWith("Invalid cron expression "),
        badCron.bodyAsString());
    assertEquals(
        "Invalid cron expression empty spec string",
        create(sink.url("/x"), Map.of(), "").bodyAsJsonObject().getString("error"));
    assertEquals(400, create(sink.url("/x"), Map.of("Upstash-Cron", "@every 5m"), "").statusCode());
    assertEquals(
        400,
        create(sink.url("/x"), Map.of("Upstash-Cron", "CRON_TZ=Nowhere/Land * * * * *"), "")
            .statusCode());
    assertEquals(
        400,
        create(
                sink.url("/x"),
                Map.of("Upstash-Cron", "* * * * *", "Upstash-Schedule-Id", "a/b"),
                "")
            .statusCode());
    assertEquals(
        400,
        create(sink.url("/x"), Map.of("Upstash-Cron", "* * * * *", "Upstash-Not-Before", "1"), "")
            .statusCode());
    assertEquals(
        400,
        create(
                sink.url("/x"),
                Map.of("Upstash-Cron", "* * * * *", "Upstash-Callback", "ftp://x"),
                "")
            .statusCode());
    assertEquals(
        400, create("ftp://example.com/x", Map.of("Upstash-Cron", "* * * * *"), "").statusCode());
    assertEquals(new JsonArray(), list(), "nothing refused was stored");

    for (int i = 0; i < 5; i++) { // TestFerry allows 5 schedules per tenant
      assertEquals(
          200, create(sink.url("/x"), Map.of("Upstash-Cron", "* * * * *"), "").statusCode());
    }
    HttpResponse<Buffer> over = create(sink.url("/x"), Map.of("Upstash-Cron", "* * * * *"), "");
    assertEquals(412, over.statusCode(), over.bodyAsString());
    String existing = list().getJsonObject(0).getString("scheduleId");
    assertEquals(
        200,
        create(
                sink.url("/y"),
                Map.of("Upstash-Cron", "* * * * *", "Upstash-Schedule-Id", existing),
                "")
            .statusCode(),
        "replacing an existing schedule is allowed at the limit");
  }

  private HttpResponse<Buffer> create(String destination, Map<String, String> headers, String body)
      throws Exception {
    return ferry.send(HttpMethod.POST, "/v2/schedules/" + destination, headers, body);
  }

  private HttpResponse<Buffer> send(HttpMethod method, String uri) throws Exception {
    return ferry.send(method, uri, Map.of(), null);
  }

  private JsonObject get(String id) throws Exception {
    HttpResponse<Buffer> r = send(HttpMethod.GET, "/v2/schedules/" + id);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  private JsonArray list() throws Exception {
    return send(HttpMethod.GET, "/v2/schedules").bodyAsJsonArray();
  }
}
