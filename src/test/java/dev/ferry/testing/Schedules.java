package dev.ferry.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;

/**
 * Schedule calls a test makes as a tenant would, asserting that each succeeds. Called from the
 * JUnit thread.
 */
public final class Schedules {
  private Schedules() {}

  /** {@code POST /v2/schedules/{destination}}; the new schedule's id. */
  public static String create(
      TestFerry ferry, String destination, Map<String, String> headers, String body)
      throws Exception {
    HttpResponse<Buffer> r =
        ferry.send(HttpMethod.POST, "/v2/schedules/" + destination, headers, body);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getString("scheduleId");
  }

  /** {@code GET /v2/schedules/{id}}. */
  public static JsonObject get(TestFerry ferry, String id) throws Exception {
    HttpResponse<Buffer> r = ferry.send(HttpMethod.GET, "/v2/schedules/" + id, Map.of(), null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }
}
