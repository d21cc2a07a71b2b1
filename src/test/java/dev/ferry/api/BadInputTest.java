package dev.ferry.api;

import static dev.ferry.api.QueuesAndGroupsTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.testing.GatewayTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every kind of bad input gets a 4xx naming the problem, and a request refused as a whole stores
 * nothing.
 */
class BadInputTest extends GatewayTest {
  @AfterEach
  void nothing_refused_was_delivered() throws Exception {
    Thread.sleep(200);
    assertEquals(0, sink.received().size(), "refused requests must not deliver anything");
  }

  @Test
  void missing_or_wrong_token_is_401(Vertx vertx) throws Exception {
    WebClient client = WebClient.create(vertx);
    HttpResponse<Buffer> none =
        client
            .post(ferry.port(), "127.0.0.1", "/v2/publish/" + sink.url("/x"))
            .send()
            .await(10, TimeUnit.SECONDS);
    assertError(none, 401, "authorization");
    HttpResponse<Buffer> wrong =
        client
            .post(ferry.port(), "127.0.0.1", "/v2/publish/" + sink.url("/x"))
            .bearerTokenAuthentication("not-a-token")
            .send()
            .await(10, TimeUnit.SECONDS);
    assertError(wrong, 401, "invalid token");
    HttpResponse<Buffer> keys =
        client
            .get(ferry.port(), "127.0.0.1", "/v2/keys?qstash_token=nope")
            .send()
            .await(10, TimeUnit.SECONDS);
    assertError(keys, 401, "invalid token");
  }

  @Test
  void bad_destinations_are_400() throws Exception {
    assertError(ferry.publish("ftp://example.com/x", Map.of(), "x"), 400, "invalid destination");
    assertError(ferry.publish("http://", Map.of(), "x"), 400, "invalid destination");
    assertError(ferry.publish("bad%20group", Map.of(), "x"), 400, "invalid destination");
    assertError(ferry.publish("unknown-group", Map.of(), "x"), 404, "unknown-group");
    assertError(
        ferry.send(HttpMethod.POST, "/v2/enqueue/bad!queue/" + sink.url("/x"), Map.of(), "x"),
        400,
        "queue");
  }

  @Test
  void bad_configuration_headers_are_400_naming_the_header() throws Exception {
    String url = sink.url("/x");
    assertError(ferry.publish(url, Map.of("Upstash-Delay", "5x"), "x"), 400, "Upstash-Delay");
    assertError(ferry.publish(url, Map.of("Upstash-Delay", "-1s"), "x"), 400, "Upstash-Delay");
    assertError(ferry.publish(url, Map.of("Upstash-Delay", "400d"), "x"), 400, "maximum");
    assertError(
        ferry.publish(url, Map.of("Upstash-Not-Before", "soon"), "x"), 400, "Upstash-Not-Before");
    assertError(
        ferry.publish(url, Map.of("Upstash-Not-Before", "1735689600000"), "x"),
        400,
        "milliseconds");
    assertError(ferry.publish(url, Map.of("Upstash-Retries", "-1"), "x"), 400, "Upstash-Retries");
    assertError(ferry.publish(url, Map.of("Upstash-Retries", "21"), "x"), 400, "Upstash-Retries");
    assertError(ferry.publish(url, Map.of("Upstash-Retries", "many"), "x"), 400, "Upstash-Retries");
    assertError(
        ferry.publish(url, Map.of("Upstash-Retry-Delay", "retried +"), "x"),
        400,
        "Upstash-Retry-Delay");
    assertError(
        ferry.publish(url, Map.of("Upstash-Retry-Delay", "system(1)"), "x"),
        400,
        "Upstash-Retry-Delay");
    assertError(
        ferry.publish(url, Map.of("Upstash-Timeout", "forever"), "x"), 400, "Upstash-Timeout");
    assertError(ferry.publish(url, Map.of("Upstash-Method", "TRACE"), "x"), 400, "Upstash-Method");
    assertError(ferry.publish(url, Map.of("Upstash-Forward-Host", "evil"), "x"), 400, "Host");
    assertError(
        ferry.publish(url, Map.of("Upstash-Forward-Transfer-Encoding", "chunked"), "x"),
        400,
        "Transfer-Encoding");
    assertError(
        ferry.send(HttpMethod.POST, "/v2/enqueue/q/" + url, Map.of("Upstash-Delay", "10s"), "x"),
        400,
        "Upstash-Delay");
  }

  @Test
  void oversized_bodies_are_413() throws Exception {
    assertError(
        ferry.publish(sink.url("/x"), Map.of(), "x".repeat(64 * 1024 + 1)), 413, "too large");
    assertError(
        ferry.publish(sink.url("/x"), Map.of(), "x".repeat(1024 * 1024 + 1)), 413, "too large");
    JsonArray batch =
        new JsonArray()
            .add(
                new JsonObject()
                    .put("destination", sink.url("/x"))
                    .put("body", "y".repeat(64 * 1024 + 1)));
    HttpResponse<Buffer> r = ferry.send(HttpMethod.POST, "/v2/batch", Map.of(), batch.encode());
    assertEquals(200, r.statusCode());
    assertEquals(
        true, r.bodyAsJsonArray().getJsonObject(0).getString("error").contains("too large"));
  }

  @Test
  void malformed_batches_are_refused_whole() throws Exception {
    assertError(
        ferry.send(HttpMethod.POST, "/v2/batch", Map.of(), "[{\"destination\":"),
        400,
        "malformed JSON");
    assertError(
        ferry.send(HttpMethod.POST, "/v2/batch", Map.of(), "{\"destination\":\"x\"}"),
        400,
        "array");
    assertError(ferry.send(HttpMethod.POST, "/v2/batch", Map.of(), ""), 400, "array");
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i < 101; i++) tooMany.add(new JsonObject().put("destination", sink.url("/x")));
    assertError(
        ferry.send(HttpMethod.POST, "/v2/batch", Map.of(), tooMany.encode()),
        400,
        "batch too large");
    HttpResponse<Buffer> r =
        ferry.send(
            HttpMethod.POST,
            "/v2/batch",
            Map.of(),
            "[1, {\"destination\": 5}, {\"destination\":\""
                + sink.url("/x")
                + "\",\"headers\":{\"Upstash-Retries\":\"x\"}}]");
    assertEquals(200, r.statusCode());
    JsonArray results = r.bodyAsJsonArray();
    assertEquals(3, results.size());
    results.forEach(
        e -> assertEquals(true, ((JsonObject) e).containsKey("error"), results.encode()));
  }

  @Test
  void unknown_endpoints_and_bad_management_bodies_are_4xx() throws Exception {
    assertError(
        ferry.send(HttpMethod.GET, "/v2/nothing-here", Map.of(), null), 404, "no such endpoint");
    assertError(
        ferry.send(HttpMethod.POST, "/v2/topics/g/endpoints", Map.of(), "{\"endpoints\":[]}"),
        400,
        "endpoints");
    assertError(
        ferry.send(
            HttpMethod.POST,
            "/v2/topics/g/endpoints",
            Map.of(),
            "{\"endpoints\":[{\"url\":\"nope\"}]}"),
        400,
        "url");
    assertError(
        ferry.send(HttpMethod.POST, "/v2/topics/g/endpoints", Map.of(), "[]"), 400, "JSON object");
    assertError(
        ferry.send(
            HttpMethod.DELETE,
            "/v2/topics/none/endpoints",
            Map.of(),
            "{\"endpoints\":[{\"name\":\"x\"}]}"),
        404,
        "none");
    assertError(
        ferry.send(
            HttpMethod.POST,
            "/v2/topics/bad$name/endpoints",
            Map.of(),
            "{\"endpoints\":[{\"url\":\"http://a\"}]}"),
        400,
        "name");
  }
}
