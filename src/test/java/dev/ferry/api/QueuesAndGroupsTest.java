package dev.ferry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.GatewayTest;
import dev.ferry.testing.Jwt;
import dev.ferry.testing.Polls;
import dev.ferry.testing.Sink;
import dev.ferry.testing.TestFerry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/** Queues (FIFO, parallelism, pause), URL groups (fan-out) and batches, through the HTTP API. */
class QueuesAndGroupsTest extends GatewayTest {
  @Test
  void enqueue_creates_the_queue_and_delivers_in_fifo_order_waiting_for_retries() throws Exception {
    int[] firstCalls = {0};
    sink.on(
        "/fifo",
        r ->
            r.body().toString().equals("m0") && ++firstCalls[0] <= 2
                ? Sink.Reply.status(500)
                : Sink.Reply.status(200));
    for (int i = 0; i < 5; i++) {
      HttpResponse<Buffer> r =
          ferry.send(
              HttpMethod.POST,
              "/v2/enqueue/orders/" + sink.url("/fifo"),
              Map.of("Upstash-Retry-Delay", "100"),
              "m" + i);
      assertEquals(201, r.statusCode(), r.bodyAsString());
    }
    List<Sink.Received> got = sink.await("/fifo", 7, 10_000);
    List<String> bodies = got.stream().map(g -> g.body().toString()).toList();
    assertEquals(List.of("m0", "m0", "m0", "m1", "m2", "m3", "m4"), bodies);
    JsonObject queue =
        ferry.send(HttpMethod.GET, "/v2/queues/orders", Map.of(), null).bodyAsJsonObject();
    assertEquals("orders", queue.getString("name"));
    assertEquals(1, queue.getInteger("parallelism"));
    assertEquals(false, queue.getBoolean("paused"));
    assertEquals(0L, awaitLag("orders", 0));
  }

  @Test
  void parallelism_bounds_attempts_in_flight() throws Exception {
    upsertQueue("wide", 3, false);
    int[] concurrent = {0, 0};
    sink.on("/par", r -> new Sink.Reply(200, Map.of(), "", 200));
    for (int i = 0; i < 9; i++) {
      ferry.send(HttpMethod.POST, "/v2/enqueue/wide/" + sink.url("/par"), Map.of(), "p" + i);
    }
    List<Sink.Received> got = sink.await("/par", 9, 15_000);
    // arrivals come in waves of at most 3: the 4th arrives only after the 1st answered (200 ms
    // later)
    for (int i = 3; i < got.size(); i++) {
      long gap = got.get(i).atMillis() - got.get(i - 3).atMillis();
      assertTrue(gap >= 150, "message " + i + " started " + gap + "ms after message " + (i - 3));
    }
    assertEquals(
        List.of("p0", "p1", "p2"),
        got.subList(0, 3).stream().map(g -> g.body().toString()).sorted().toList());
  }

  @Test
  void paused_queue_accepts_but_does_not_deliver_until_resumed() throws Exception {
    upsertQueue("held", 1, true);
    ferry.send(HttpMethod.POST, "/v2/enqueue/held/" + sink.url("/held"), Map.of(), "h");
    Thread.sleep(500);
    assertEquals(0, sink.received("/held").size());
    assertEquals(1L, awaitLag("held", 1));
    assertEquals(
        200, ferry.send(HttpMethod.POST, "/v2/queues/held/resume", Map.of(), null).statusCode());
    sink.await("/held", 1, 10_000);
    assertEquals(
        200, ferry.send(HttpMethod.POST, "/v2/queues/held/pause", Map.of(), null).statusCode());
    assertTrue(
        ferry
            .send(HttpMethod.GET, "/v2/queues/held", Map.of(), null)
            .bodyAsJsonObject()
            .getBoolean("paused"));
  }

  @Test
  void queue_list_get_delete_and_validation() throws Exception {
    upsertQueue("q1", 2, false);
    upsertQueue("q2", 1, false);
    upsertQueue("q1", 4, false); // upsert updates
    JsonArray all = ferry.send(HttpMethod.GET, "/v2/queues", Map.of(), null).bodyAsJsonArray();
    assertEquals(2, all.size());
    assertEquals(4, all.getJsonObject(0).getInteger("parallelism"));
    assertEquals(200, ferry.send(HttpMethod.DELETE, "/v2/queues/q2", Map.of(), null).statusCode());
    assertEquals(404, ferry.send(HttpMethod.GET, "/v2/queues/q2", Map.of(), null).statusCode());
    assertError(
        ferry.send(HttpMethod.POST, "/v2/queues", Map.of(), "{\"queueName\":\"bad name\"}"),
        400,
        "queue name");
    assertError(
        ferry.send(
            HttpMethod.POST, "/v2/queues", Map.of(), "{\"queueName\":\"q\",\"parallelism\":11}"),
        412,
        "parallelism");
    assertError(
        ferry.send(
            HttpMethod.POST, "/v2/queues", Map.of(), "{\"queueName\":\"q\",\"parallelism\":0}"),
        400,
        "parallelism");
    assertError(
        ferry.send(HttpMethod.POST, "/v2/queues", Map.of(), "{\"queueName\":"),
        400,
        "malformed JSON");
    assertError(ferry.send(HttpMethod.POST, "/v2/queues/nope/pause", Map.of(), null), 404, "nope");
    for (int i = 0; i < 4; i++) upsertQueue("fill" + i, 1, false);
    assertError(
        ferry.send(HttpMethod.POST, "/v2/queues", Map.of(), "{\"queueName\":\"onetoomany\"}"),
        412,
        "queue limit");
  }

  @Test
  void url_group_fans_out_one_signed_message_per_endpoint() throws Exception {
    String a = sink.url("/ep-a");
    String b = sink.url("/ep-b?x=1");
    assertEquals(
        200,
        ferry
            .send(
                HttpMethod.POST,
                "/v2/topics/team/endpoints",
                Map.of(),
                new JsonObject()
                    .put(
                        "endpoints",
                        new JsonArray()
                            .add(new JsonObject().put("name", "first").put("url", a))
                            .add(new JsonObject().put("url", b)))
                    .encode())
            .statusCode());
    HttpResponse<Buffer> r =
        ferry.publish("team", Map.of("Content-Type", "application/json"), "{\"k\":1}");
    assertEquals(201, r.statusCode(), r.bodyAsString());
    JsonArray items = r.bodyAsJsonArray();
    assertEquals(2, items.size());
    assertEquals(a, items.getJsonObject(0).getString("url"));
    assertEquals(b, items.getJsonObject(1).getString("url"));
    Sink.Received gotA = sink.await("/ep-a", 1, 10_000).get(0);
    Sink.Received gotB = sink.await("/ep-b", 1, 10_000).get(0);
    assertEquals("team", gotA.header("Upstash-Topic-Name"));
    assertEquals(items.getJsonObject(0).getString("messageId"), gotA.header("Upstash-Message-Id"));
    assertEquals(items.getJsonObject(1).getString("messageId"), gotB.header("Upstash-Message-Id"));
    Jwt.verify(gotA.header("Upstash-Signature"), TestFerry.CURRENT_KEY, a, "{\"k\":1}".getBytes());
    Jwt.verify(gotB.header("Upstash-Signature"), TestFerry.CURRENT_KEY, b, "{\"k\":1}".getBytes());

    JsonObject group =
        ferry.send(HttpMethod.GET, "/v2/topics/team", Map.of(), null).bodyAsJsonObject();
    assertEquals("first", group.getJsonArray("endpoints").getJsonObject(0).getString("name"));
    assertEquals(
        1, ferry.send(HttpMethod.GET, "/v2/topics", Map.of(), null).bodyAsJsonArray().size());
    assertEquals(
        200,
        ferry
            .send(
                HttpMethod.DELETE,
                "/v2/topics/team/endpoints",
                Map.of(),
                "{\"endpoints\":[{\"name\":\"first\"}]}")
            .statusCode());
    assertEquals(
        1,
        ferry
            .send(HttpMethod.GET, "/v2/topics/team", Map.of(), null)
            .bodyAsJsonObject()
            .getJsonArray("endpoints")
            .size());
    assertEquals(
        200,
        ferry
            .send(
                HttpMethod.DELETE,
                "/v2/topics/team/endpoints",
                Map.of(),
                new JsonObject()
                    .put("endpoints", new JsonArray().add(new JsonObject().put("url", b)))
                    .encode())
            .statusCode());
    assertError(
        ferry.send(HttpMethod.GET, "/v2/topics/team", Map.of(), null),
        404,
        "team"); // deleted with its last endpoint
    assertError(ferry.publish("team", Map.of(), "x"), 404, "team");
  }

  @Test
  void batch_mixes_urls_groups_and_queues_with_positional_results_and_errors() throws Exception {
    ferry.send(
        HttpMethod.POST,
        "/v2/topics/pair/endpoints",
        Map.of(),
        new JsonObject()
            .put(
                "endpoints",
                new JsonArray()
                    .add(new JsonObject().put("url", sink.url("/g1")))
                    .add(new JsonObject().put("url", sink.url("/g2"))))
            .encode());
    JsonArray batch =
        new JsonArray()
            .add(
                new JsonObject()
                    .put("destination", sink.url("/b-url"))
                    .put("body", "one")
                    .put(
                        "headers",
                        new JsonObject()
                            .put("Content-Type", "text/plain")
                            .put("Upstash-Forward-Hello", "1")))
            .add(new JsonObject().put("destination", "pair").put("body", "two"))
            .add(
                new JsonObject()
                    .put("destination", sink.url("/b-queue"))
                    .put("queue", "bq")
                    .put("body", "three"))
            .add(new JsonObject().put("destination", "ftp://nope").put("body", "bad"))
            .add(new JsonObject().put("destination", "missing-group").put("body", "bad"))
            .add(
                new JsonObject()
                    .put("destination", sink.url("/b-null"))
                    .putNull("body")
                    .putNull("queue"));
    HttpResponse<Buffer> r =
        ferry.send(
            HttpMethod.POST,
            "/v2/batch",
            Map.of("Content-Type", "application/json"),
            batch.encode());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonArray results = r.bodyAsJsonArray();
    assertEquals(6, results.size());
    assertTrue(results.getJsonObject(0).getString("messageId").startsWith("msg_"));
    assertEquals(2, results.getJsonArray(1).size());
    assertTrue(results.getJsonObject(2).containsKey("messageId"));
    assertTrue(
        results.getJsonObject(3).getString("error").contains("invalid destination"),
        results.encode());
    assertTrue(
        results.getJsonObject(4).getString("error").contains("missing-group"), results.encode());
    assertTrue(results.getJsonObject(5).containsKey("messageId"));

    Sink.Received one = sink.await("/b-url", 1, 10_000).get(0);
    assertEquals("one", one.body().toString());
    assertEquals("1", one.header("Hello"));
    assertEquals("text/plain", one.header("Content-Type"));
    assertEquals("two", sink.await("/g1", 1, 10_000).get(0).body().toString());
    assertEquals("two", sink.await("/g2", 1, 10_000).get(0).body().toString());
    assertEquals("three", sink.await("/b-queue", 1, 10_000).get(0).body().toString());
    assertEquals(0, sink.await("/b-null", 1, 10_000).get(0).body().length());
    assertEquals(200, ferry.send(HttpMethod.GET, "/v2/queues/bq", Map.of(), null).statusCode());
  }

  @Test
  void tenants_see_only_their_own_queues_groups_and_keys(Vertx vertx) throws Exception {
    upsertQueue("private", 1, false);
    ferry.send(
        HttpMethod.POST,
        "/v2/topics/mine/endpoints",
        Map.of(),
        "{\"endpoints\":[{\"url\":\"" + sink.url("/mine") + "\"}]}");
    var other = io.vertx.ext.web.client.WebClient.create(vertx);
    java.util.function.BiFunction<HttpMethod, String, HttpResponse<Buffer>> asB =
        (m, uri) -> {
          try {
            return other
                .request(m, ferry.port(), "127.0.0.1", uri)
                .bearerTokenAuthentication(TestFerry.OTHER_TOKEN)
                .send()
                .await(10, TimeUnit.SECONDS);
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        };
    assertEquals(0, asB.apply(HttpMethod.GET, "/v2/queues").bodyAsJsonArray().size());
    assertEquals(404, asB.apply(HttpMethod.GET, "/v2/queues/private").statusCode());
    assertEquals(
        200,
        asB.apply(HttpMethod.DELETE, "/v2/queues/private")
            .statusCode()); // nothing of b's to delete
    assertEquals(0, asB.apply(HttpMethod.GET, "/v2/topics").bodyAsJsonArray().size());
    assertEquals(404, asB.apply(HttpMethod.GET, "/v2/topics/mine").statusCode());
    assertEquals(404, asB.apply(HttpMethod.POST, "/v2/publish/mine").statusCode());
    assertEquals(
        "sig_otherCurrent000000000000000",
        asB.apply(HttpMethod.GET, "/v2/keys").bodyAsJsonObject().getString("current"));
    assertEquals(
        200, ferry.send(HttpMethod.GET, "/v2/queues/private", Map.of(), null).statusCode());
  }

  private void upsertQueue(String name, int parallelism, boolean paused) throws Exception {
    HttpResponse<Buffer> r =
        ferry.send(
            HttpMethod.POST,
            "/v2/queues",
            Map.of("Content-Type", "application/json"),
            new JsonObject()
                .put("queueName", name)
                .put("parallelism", parallelism)
                .put("paused", paused)
                .encode());
    assertEquals(200, r.statusCode(), r.bodyAsString());
  }

  private long awaitLag(String queue, long expected) throws Exception {
    List<Long> seen = new ArrayList<>();
    try {
      return Polls.within(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                long lag =
                    ferry
                        .send(HttpMethod.GET, "/v2/queues/" + queue, Map.of(), null)
                        .bodyAsJsonObject()
                        .getLong("lag");
                seen.add(lag);
                return lag;
              },
              lag -> lag == expected);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("lag never became " + expected + ": " + seen);
    }
  }

  static void assertError(HttpResponse<Buffer> r, int status, String mentions) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    String error = r.bodyAsJsonObject().getString("error");
    assertTrue(
        error != null && error.contains(mentions),
        "error '" + error + "' should mention '" + mentions + "'");
  }
}
