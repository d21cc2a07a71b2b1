package dev.ferry.api;

import static dev.ferry.api.QueuesAndGroupsTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.testing.GatewayTest;
import dev.ferry.testing.TestFerry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Deleting what is not there: {@code DELETE} of a URL group, a queue or a schedule that does not
 * exist (or is another tenant's) is a 200 that changes nothing, as QStash answers — SDK code that
 * cleans up before creating relies on it. Removing endpoints from a group that does not exist stays
 * a 404, and a malformed name stays a 400.
 */
class DeletesTest extends GatewayTest {

  @Test
  void deleting_a_missing_group_queue_or_schedule_is_200() throws Exception {
    for (String uri : List.of("/v2/topics/none", "/v2/queues/none", "/v2/schedules/none")) {
      HttpResponse<Buffer> r = ferry.send(HttpMethod.DELETE, uri, Map.of(), null);
      assertEquals(200, r.statusCode(), uri + ": " + r.bodyAsString());
    }
  }

  @Test
  void a_group_cleaned_up_before_it_exists_is_then_created() throws Exception {
    assertEquals(
        200, ferry.send(HttpMethod.DELETE, "/v2/topics/fresh", Map.of(), null).statusCode());
    assertEquals(
        200,
        ferry
            .send(HttpMethod.POST, "/v2/topics/fresh/endpoints", Map.of(), endpoints())
            .statusCode());
    assertEquals(1, get("/v2/topics/fresh").getJsonArray("endpoints").size());
    assertEquals(
        200, ferry.send(HttpMethod.DELETE, "/v2/topics/fresh", Map.of(), null).statusCode());
    assertEquals(404, ferry.send(HttpMethod.GET, "/v2/topics/fresh", Map.of(), null).statusCode());
    assertEquals(
        200,
        ferry.send(HttpMethod.DELETE, "/v2/topics/fresh", Map.of(), null).statusCode(),
        "twice");
  }

  @Test
  void another_tenants_group_queue_and_schedule_are_not_deleted() throws Exception {
    ferry.send(HttpMethod.POST, "/v2/topics/mine/endpoints", Map.of(), endpoints());
    ferry.send(
        HttpMethod.POST,
        "/v2/queues",
        Map.of(),
        new JsonObject().put("queueName", "mine").encode());
    ferry.send(
        HttpMethod.POST,
        "/v2/schedules/" + sink.url("/s"),
        Map.of("Upstash-Cron", "0 0 1 1 *", "Upstash-Schedule-Id", "mine"),
        "");
    for (String uri : List.of("/v2/topics/mine", "/v2/queues/mine", "/v2/schedules/mine")) {
      HttpResponse<Buffer> asB =
          ferry.await(
              () ->
                  ferry
                      .request(HttpMethod.DELETE, uri)
                      .bearerTokenAuthentication(TestFerry.OTHER_TOKEN)
                      .send());
      assertEquals(200, asB.statusCode(), uri);
      assertEquals(
          200, ferry.send(HttpMethod.GET, uri, Map.of(), null).statusCode(), uri + " still exists");
    }
  }

  @Test
  void removing_endpoints_of_a_missing_group_is_404_and_bad_names_are_400() throws Exception {
    assertError(
        ferry.send(HttpMethod.DELETE, "/v2/topics/none/endpoints", Map.of(), endpoints()),
        404,
        "none");
    assertError(ferry.send(HttpMethod.DELETE, "/v2/topics/bad$name", Map.of(), null), 400, "name");
    assertError(ferry.send(HttpMethod.DELETE, "/v2/queues/bad$name", Map.of(), null), 400, "name");
    assertError(
        ferry.send(HttpMethod.DELETE, "/v2/schedules/bad$id", Map.of(), null), 400, "schedule id");
  }

  private String endpoints() {
    return new JsonObject()
        .put("endpoints", new JsonArray().add(new JsonObject().put("url", sink.url("/e"))))
        .encode();
  }

  private JsonObject get(String uri) throws Exception {
    HttpResponse<Buffer> r = ferry.send(HttpMethod.GET, uri, Map.of(), null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }
}
