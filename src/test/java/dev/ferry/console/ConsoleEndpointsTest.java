package dev.ferry.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.GatewayTest;
import dev.ferry.testing.Sink;
import dev.ferry.testing.TestFerry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The console's own endpoints over HTTP: overview, cron in words, pending count; each tenant sees
 * only its own.
 */
class ConsoleEndpointsTest extends GatewayTest {

  @Test
  void
      overview_counts_the_tenants_messages_failures_and_failing_hosts_and_nothing_of_another_tenant(
          Vertx vertx) throws Exception {
    sink.on("/down", r -> Sink.Reply.status(503));
    assertEquals(
        201, ferry.publish(sink.url("/down"), Map.of("Upstash-Retries", "0"), "x").statusCode());
    assertEquals(201, ferry.publish(sink.url("/up"), Map.of(), "y").statusCode());
    sink.await("/up", 1, 10_000);

    JsonObject a =
        until(
            vertx,
            TestFerry.TOKEN,
            o -> o.getLong("dlq") == 1 && sum(o, "delivered") == 1 && sum(o, "failed") == 1);
    assertEquals("a", a.getString("tenant"));
    assertEquals(2, sum(a, "published"));
    assertEquals(1, sum(a, "failed"));
    assertEquals(OverviewHandler.MINUTES, a.getJsonArray("minutes").size());
    JsonObject host = a.getJsonArray("failingHosts").getJsonObject(0);
    assertEquals("127.0.0.1", host.getString("host"));
    assertEquals(1, host.getLong("failures"));
    assertEquals("HTTP 503", host.getString("lastError"));

    JsonObject b = overview(TestFerry.OTHER_TOKEN).bodyAsJsonObject();
    assertEquals("b", b.getString("tenant"));
    assertEquals(0, sum(b, "published"));
    assertEquals(0, b.getLong("dlq"));
    assertEquals(new JsonArray(), b.getJsonArray("failingHosts"));
  }

  @Test
  void overview_lists_the_queues_with_the_most_lag_first() throws Exception {
    for (String q : new String[] {"small", "big"}) {
      assertEquals(
          200,
          ferry
              .send(
                  HttpMethod.POST,
                  "/v2/queues",
                  Map.of("Content-Type", "application/json"),
                  new JsonObject().put("queueName", q).put("paused", true).encode())
              .statusCode());
    }
    for (int i = 0; i < 3; i++)
      ferry.send(HttpMethod.POST, "/v2/enqueue/big/" + sink.url("/q"), Map.of(), "m");
    ferry.send(HttpMethod.POST, "/v2/enqueue/small/" + sink.url("/q"), Map.of(), "m");

    JsonObject o = overview(TestFerry.TOKEN).bodyAsJsonObject();
    assertEquals(4, o.getLong("queued"));
    assertEquals(2, o.getInteger("queues"));
    JsonArray slowest = o.getJsonArray("slowestQueues");
    assertEquals("big", slowest.getJsonObject(0).getString("name"));
    assertEquals(3, slowest.getJsonObject(0).getLong("lag"));
    assertEquals(true, slowest.getJsonObject(0).getBoolean("paused"));
    assertEquals("small", slowest.getJsonObject(1).getString("name"));
    assertEquals(0, overview(TestFerry.OTHER_TOKEN).bodyAsJsonObject().getLong("queued"));
  }

  @Test
  void overview_counts_the_tenants_pending_messages_held_by_a_delay_or_a_paused_queue()
      throws Exception {
    ferry.send(
        HttpMethod.POST,
        "/v2/queues",
        Map.of("Content-Type", "application/json"),
        new JsonObject().put("queueName", "held").put("paused", true).encode());
    ferry.send(HttpMethod.POST, "/v2/enqueue/held/" + sink.url("/q"), Map.of(), "m");
    for (int i = 0; i < 2; i++)
      assertEquals(
          201, ferry.publish(sink.url("/later"), Map.of("Upstash-Delay", "1h"), "x").statusCode());

    assertEquals(3, overview(TestFerry.TOKEN).bodyAsJsonObject().getLong("pending"));
    assertEquals(0, overview(TestFerry.OTHER_TOKEN).bodyAsJsonObject().getLong("pending"));
  }

  @Test
  void console_endpoints_need_a_token() throws Exception {
    for (String path :
        new String[] {"/ferry/v1/overview", "/ferry/v1/cron?cron=*", "/ferry/v1/pending"}) {
      HttpResponse<Buffer> r = ferry.get(path);
      assertEquals(401, r.statusCode(), path);
      assertTrue(
          r.bodyAsJsonObject().getString("error").contains("authorization"), r.bodyAsString());
    }
    assertEquals(
        401,
        ferry
            .await(
                () ->
                    ferry
                        .request(HttpMethod.GET, "/ferry/v1/overview")
                        .bearerTokenAuthentication("wrong")
                        .send())
            .statusCode());
  }

  @Test
  void cron_is_described_in_words_with_its_next_fire_times() throws Exception {
    HttpResponse<Buffer> r =
        ferry.send(
            HttpMethod.GET,
            "/ferry/v1/cron?count=3&cron="
                + URLEncoder.encode("*/5 * * * *", StandardCharsets.UTF_8),
            Map.of(),
            null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject c = r.bodyAsJsonObject();
    assertEquals("every 5 minutes", c.getString("description"));
    assertEquals("UTC", c.getString("timeZone"));
    JsonArray next = c.getJsonArray("next");
    assertEquals(3, next.size());
    for (int i = 0; i < 3; i++) assertEquals(0, next.getLong(i) % 300_000, next.encode());
    assertEquals(300_000, next.getLong(1) - next.getLong(0));
    assertTrue(next.getLong(0) > System.currentTimeMillis() - 1000);

    JsonObject zoned =
        ferry
            .send(
                HttpMethod.GET,
                "/ferry/v1/cron?cron="
                    + URLEncoder.encode("CRON_TZ=Europe/Paris 0 9 * * 1-5", StandardCharsets.UTF_8),
                Map.of(),
                null)
            .bodyAsJsonObject();
    assertEquals("Europe/Paris", zoned.getString("timeZone"));
    assertTrue(zoned.getString("description").contains("9"), zoned.encode());
  }

  @Test
  void a_bad_cron_or_count_is_a_400_naming_the_problem() throws Exception {
    HttpResponse<Buffer> bad =
        ferry.send(HttpMethod.GET, "/ferry/v1/cron?cron=61+*+*+*+*", Map.of(), null);
    assertEquals(400, bad.statusCode());
    assertTrue(
        bad.bodyAsJsonObject().getString("error").startsWith("Invalid cron expression"),
        bad.bodyAsString());
    HttpResponse<Buffer> missing = ferry.send(HttpMethod.GET, "/ferry/v1/cron", Map.of(), null);
    assertEquals(400, missing.statusCode());
    assertTrue(
        missing.bodyAsJsonObject().getString("error").contains("cron"), missing.bodyAsString());
    HttpResponse<Buffer> count =
        ferry.send(HttpMethod.GET, "/ferry/v1/cron?cron=*+*+*+*+*&count=99", Map.of(), null);
    assertEquals(400, count.statusCode());
    assertTrue(count.bodyAsJsonObject().getString("error").contains("count"), count.bodyAsString());
  }

  @Test
  void pending_counts_what_a_bulk_cancel_with_the_same_filters_would_cancel() throws Exception {
    for (int i = 0; i < 3; i++) {
      ferry.publish(
          sink.url("/later"),
          Map.of("Upstash-Delay", "1h", "Upstash-Label", i < 2 ? "two" : "one"),
          "m");
    }
    assertEquals(2, pending(TestFerry.TOKEN, "?label=two"));
    assertEquals(3, pending(TestFerry.TOKEN, ""));
    assertEquals(0, pending(TestFerry.OTHER_TOKEN, "?label=two"));
    HttpResponse<Buffer> cancelled =
        ferry.send(HttpMethod.DELETE, "/v2/messages?label=two", Map.of(), null);
    assertEquals(2, cancelled.bodyAsJsonObject().getInteger("cancelled"));
    assertEquals(0, pending(TestFerry.TOKEN, "?label=two"));
    // checked as the cancel checks them: what would be refused there is refused here, never counted
    // as "no filter"
    for (String query : new String[] {"?state=DELIVERED", "?labeel=two", "?label="}) {
      HttpResponse<Buffer> bad =
          ferry.send(HttpMethod.GET, "/ferry/v1/pending" + query, Map.of(), null);
      assertEquals(400, bad.statusCode(), query + " " + bad.bodyAsString());
      HttpResponse<Buffer> cancel =
          ferry.send(HttpMethod.DELETE, "/v2/messages" + query, Map.of(), null);
      assertEquals(400, cancel.statusCode(), query + " " + cancel.bodyAsString());
    }
    assertEquals(1, pending(TestFerry.TOKEN, "?label=one"));
  }

  private long pending(String token, String query) throws Exception {
    HttpResponse<Buffer> r =
        ferry.await(
            () ->
                ferry
                    .request(HttpMethod.GET, "/ferry/v1/pending" + query)
                    .bearerTokenAuthentication(token)
                    .send());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getLong("pending");
  }

  private HttpResponse<Buffer> overview(String token) throws Exception {
    HttpResponse<Buffer> r =
        ferry.await(
            () ->
                ferry
                    .request(HttpMethod.GET, "/ferry/v1/overview")
                    .bearerTokenAuthentication(token)
                    .send());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals("no-store", r.getHeader("Cache-Control"));
    return r;
  }

  /**
   * Polls the overview until {@code done} holds (delivery and the DLQ count settle asynchronously).
   */
  private JsonObject until(Vertx vertx, String token, Predicate<JsonObject> done) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    JsonObject o;
    while (!done.test(o = overview(token).bodyAsJsonObject())) {
      if (System.currentTimeMillis() > deadline)
        throw new AssertionError("overview never settled: " + o.encode());
      ferry.await(() -> vertx.timer(OverviewHandler.DLQ_COUNT_TTL_MILLIS / 20));
    }
    return o;
  }

  private static long sum(JsonObject overview, String key) {
    return overview.getJsonArray("minutes").stream()
        .mapToLong(m -> ((JsonObject) m).getLong(key))
        .sum();
  }
}
