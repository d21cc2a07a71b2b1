package dev.ferry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ferry.testing.GatewayTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every error body keeps QStash's {@code "error"} and adds a stable {@code "code"} a client can
 * branch on, for refusals of the API layer and of ingest alike.
 */
class ErrorCodesTest extends GatewayTest {
  @Test
  void refusals_of_the_api_layer_carry_their_code(Vertx vertx) throws Exception {
    HttpResponse<Buffer> anonymous =
        WebClient.create(vertx)
            .post(ferry.port(), "127.0.0.1", "/v2/keys")
            .send()
            .await(10, TimeUnit.SECONDS);
    assertBody(
        anonymous,
        401,
        "unauthorized",
        "missing authorization: send 'Authorization: Bearer <token>'");
    assertBody(
        ferry.publish("ftp://example.com/x", Map.of(), "x"),
        400,
        "bad_request",
        "invalid destination url: endpoint has invalid scheme, add http:// or https://");
    assertBody(
        ferry.send(HttpMethod.GET, "/v2/queues/nope", Map.of(), null),
        404,
        "not_found",
        "queue nope not found");
    assertBody(
        ferry.send(HttpMethod.GET, "/v2/nothing-here", Map.of(), null),
        404,
        "not_found",
        "no such endpoint: GET /v2/nothing-here");
  }

  @Test
  void refusals_of_ingest_carry_their_code() throws Exception {
    assertBody(
        ferry.publish("unknown-group", Map.of(), "x"),
        404,
        "not_found",
        "url group unknown-group not found");
    for (int i = 0;
        i < 100;
        i++) { // fill the tenant's queues (limits.maxQueues) by enqueueing, as a client would
      HttpResponse<Buffer> r =
          ferry.send(HttpMethod.POST, "/v2/enqueue/q" + i + "/" + sink.url("/x"), Map.of(), "x");
      if (r.statusCode() != 201) {
        assertBody(r, 412, "queue_limit", "queue limit reached: at most " + i + " queues");
        return;
      }
    }
    fail("100 queues and no queue limit");
  }

  private static void assertBody(HttpResponse<Buffer> r, int status, String code, String error) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    assertEquals(new JsonObject().put("error", error).put("code", code), r.bodyAsJsonObject());
  }
}
