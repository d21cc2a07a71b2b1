package dev.ferry.api.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.testing.GatewayTest;
import dev.ferry.testing.Sink;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code PATCH /v2/topics/{name}}: default configuration headers applied to every publish to the
 * group.
 */
class TopicDefaultsTest extends GatewayTest {
  private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

  @Test
  void defaults_apply_to_publish_and_batch_and_the_request_wins() throws Exception {
    addEndpoint("hooks", sink.url("/g1"));
    HttpResponse<Buffer> patch =
        ferry.send(
            HttpMethod.PATCH,
            "/v2/topics/hooks",
            JSON,
            new JsonObject()
                .put(
                    "headers",
                    new JsonObject()
                        .put("Upstash-Retries", "0")
                        .put("upstash-forward-x-default", new JsonArray().add("d")))
                .encode());
    assertEquals(200, patch.statusCode(), patch.bodyAsString());
    addEndpoint("hooks", sink.url("/g2")); // changing endpoints keeps the defaults
    JsonObject group = Lifecycle.get(ferry, "/v2/topics/hooks");
    assertEquals(
        new JsonArray().add("0"), group.getJsonObject("headers").getJsonArray("Upstash-Retries"));

    sink.on("/g1", r -> Sink.Reply.status(500));
    HttpResponse<Buffer> r = ferry.publish("hooks", Map.of("Upstash-Forward-X-Own", "o"), "x");
    assertEquals(201, r.statusCode(), r.bodyAsString());
    Sink.Received got = sink.await("/g2", 1, 10_000).get(0);
    assertEquals("d", got.header("X-Default"));
    assertEquals("o", got.header("X-Own"));
    sink.await("/g1", 1, 10_000);
    Thread.sleep(500);
    assertEquals(1, sink.received("/g1").size(), "Upstash-Retries: 0 from the group: no retry");

    ferry.publish("hooks", Map.of("Upstash-Forward-X-Default", "mine"), "y");
    assertEquals("mine", sink.await("/g2", 2, 10_000).get(1).header("X-Default"));

    HttpResponse<Buffer> batch =
        ferry.send(
            HttpMethod.POST,
            "/v2/batch",
            JSON,
            new JsonArray()
                .add(new JsonObject().put("destination", "hooks").put("body", "z"))
                .encode());
    assertEquals(200, batch.statusCode(), batch.bodyAsString());
    assertEquals("d", sink.await("/g2", 3, 10_000).get(2).header("X-Default"));
  }

  @Test
  void unknown_groups_and_bad_defaults_are_refused() throws Exception {
    assertEquals(
        404,
        ferry
            .send(
                HttpMethod.PATCH,
                "/v2/topics/none",
                JSON,
                new JsonObject().put("headers", new JsonObject()).encode())
            .statusCode());
    addEndpoint("g", sink.url("/x"));
    for (String body :
        new String[] {
          "{}",
          "{\"headers\":[]}",
          "{\"headers\":{\"Upstash-Retries\":\"many\"}}",
          "{\"headers\":{\"Upstash-Retries\":3}}",
          "not json"
        }) {
      assertEquals(
          400, ferry.send(HttpMethod.PATCH, "/v2/topics/g", JSON, body).statusCode(), body);
    }
  }

  private void addEndpoint(String group, String url) throws Exception {
    HttpResponse<Buffer> r =
        ferry.send(
            HttpMethod.POST,
            "/v2/topics/" + group + "/endpoints",
            JSON,
            new JsonObject()
                .put("endpoints", new JsonArray().add(new JsonObject().put("url", url)))
                .encode());
    assertEquals(200, r.statusCode(), r.bodyAsString());
  }
}
