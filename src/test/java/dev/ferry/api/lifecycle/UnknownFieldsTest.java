package dev.ferry.api.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.GatewayTest;
import dev.ferry.testing.Sink;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A field an endpoint does not know, or a bulk filter without a value, is a 400 naming it and
 * nothing is deleted, cancelled or retried: neither may read as "no filter", which for a bulk call
 * means every entry.
 */
class UnknownFieldsTest extends GatewayTest {
  private final List<String> pending = new ArrayList<>();

  /** Three DLQ entries and two pending messages, counted again after every refused call. */
  @BeforeEach
  void entriesAndPendingMessages() throws Exception {
    sink.on("/dead", r -> new Sink.Reply(500, Map.of(), "", 0));
    for (int i = 0; i < 3; i++)
      Lifecycle.deadLetter(ferry, sink.url("/dead"), Map.of("Upstash-Label", "x"), "d" + i);
    for (int i = 0; i < 2; i++) {
      pending.add(
          Lifecycle.publish(
              ferry,
              sink.url("/later"),
              Map.of("Upstash-Delay", "1h", "Upstash-Label", "x"),
              "p" + i));
    }
  }

  @Test
  void a_misspelt_filter_on_a_bulk_call_is_a_400_naming_it_and_nothing_changes() throws Exception {
    for (HttpMethod method : List.of(HttpMethod.DELETE, HttpMethod.POST)) {
      String uri = method == HttpMethod.DELETE ? "/v2/dlq" : "/v2/dlq/retry";
      refused(method, uri + "?labeel=x", null, "labeel");
      refused(method, uri + "?count=1&labeel=x", null, "labeel");
      refused(method, uri, new JsonObject().put("labeel", "x"), "labeel");
      refused(
          method,
          uri + "?label=x",
          new JsonObject().put("dlqIdz", new JsonArray().add("1-0")),
          "dlqIdz");
    }
    refused(HttpMethod.DELETE, "/v2/messages?labeel=x", null, "labeel");
    refused(HttpMethod.DELETE, "/v2/messages?all=true&labeel=x", null, "labeel");
    refused(HttpMethod.DELETE, "/v2/messages", new JsonObject().put("queuename", "q"), "queuename");
    refused(HttpMethod.DELETE, "/v2/messages?cursor=5", null, "cursor");
    refused(HttpMethod.DELETE, "/v2/messages?state=CREATED", null, "state");
    refused(HttpMethod.DELETE, "/v2/dlq?api=llm", null, "api");
    refused(HttpMethod.DELETE, "/v2/dlq?host=127.0.0.1", null, "host");
  }

  @Test
  void a_misspelt_filter_on_a_listing_is_a_400_naming_it() throws Exception {
    for (String uri :
        List.of(
            "/v2/dlq?labeel=x",
            "/v2/events?labeel=x",
            "/v2/logs?labeel=x",
            "/v2/dlq?count=2&stat=ERROR",
            "/v2/events?all=true")) {
      HttpResponse<Buffer> r = ferry.send(HttpMethod.GET, uri, Map.of(), null);
      assertEquals(400, r.statusCode(), uri + ": " + r.bodyAsString());
      String name =
          uri.substring(uri.lastIndexOf('?') + 1).replaceAll(".*&", "").replaceAll("=.*", "");
      assertTrue(
          r.bodyAsJsonObject().getString("error").startsWith(name + ": unknown parameter"),
          r.bodyAsString());
    }
    // api: QStash dropped it; older SDKs still send it, and a listing may ignore it safely
    assertEquals(3, Lifecycle.get(ferry, "/v2/dlq?api=llm").getJsonArray("messages").size());
    assertEquals(
        200, ferry.send(HttpMethod.GET, "/v2/events?api=llm", Map.of(), null).statusCode());
  }

  @Test
  void a_bulk_filter_given_without_a_value_is_a_400_and_nothing_changes() throws Exception {
    refused(HttpMethod.DELETE, "/v2/dlq?label=", null, "label");
    refused(HttpMethod.DELETE, "/v2/dlq?dlqIds=", null, "dlqIds");
    refused(HttpMethod.POST, "/v2/dlq/retry?label=%20", null, "label");
    refused(
        HttpMethod.DELETE, "/v2/dlq", new JsonObject().put("dlqIds", new JsonArray()), "dlqIds");
    refused(HttpMethod.DELETE, "/v2/messages?messageIds=", null, "messageIds");
    refused(HttpMethod.DELETE, "/v2/messages?messageIds=,", null, "messageIds");
    refused(
        HttpMethod.DELETE,
        "/v2/messages",
        new JsonObject().put("messageIds", new JsonArray()),
        "messageIds");
    refused(HttpMethod.DELETE, "/v2/messages", new JsonObject().putNull("queueName"), "queueName");
    refused(
        HttpMethod.DELETE,
        "/v2/messages",
        new JsonObject().put("label", new JsonObject()),
        "label");
  }

  @Test
  void all_must_be_true_and_cannot_come_with_a_filter() throws Exception {
    refused(HttpMethod.DELETE, "/v2/dlq?all=false", null, "all");
    refused(HttpMethod.DELETE, "/v2/messages?all=1", null, "all");
    refused(HttpMethod.DELETE, "/v2/messages", new JsonObject().put("all", false), "all");
    refused(HttpMethod.DELETE, "/v2/messages?all=true&label=x", null, "label");
    refused(HttpMethod.POST, "/v2/dlq/retry?all=true&dlqIds=1-0", null, "dlqIds");

    HttpResponse<Buffer> some =
        ferry.send(HttpMethod.DELETE, "/v2/dlq?all=true&count=2", Map.of(), null);
    assertEquals(200, some.statusCode(), some.bodyAsString());
    assertEquals(2, some.bodyAsJsonObject().getInteger("deleted"));
    assertEquals(1, dlqSize());
    HttpResponse<Buffer> every =
        ferry.send(
            HttpMethod.DELETE,
            "/v2/messages",
            Map.of("Content-Type", "application/json"),
            new JsonObject().put("all", true).encode());
    assertEquals(200, every.statusCode(), every.bodyAsString());
    assertEquals(2, every.bodyAsJsonObject().getInteger("cancelled"));
    assertEquals(0, pendingCount());
  }

  /**
   * Sends the call, expects a 400 whose error starts with the field's name, and checks that nothing
   * changed.
   */
  private void refused(HttpMethod method, String uri, JsonObject body, String field)
      throws Exception {
    HttpResponse<Buffer> r =
        ferry.send(
            method,
            uri,
            body == null ? Map.of() : Map.of("Content-Type", "application/json"),
            body == null ? null : body.encode());
    String call = method + " " + uri + (body == null ? "" : " " + body.encode());
    assertEquals(400, r.statusCode(), call + ": " + r.bodyAsString());
    String error = r.bodyAsJsonObject().getString("error");
    assertTrue(error.startsWith(field + ":"), call + ": " + error);
    assertEquals(3, dlqSize(), call + " changed the DLQ");
    assertEquals(2, pendingCount(), call + " cancelled messages");
  }

  private int dlqSize() throws Exception {
    return Lifecycle.get(ferry, "/v2/dlq").getJsonArray("messages").size();
  }

  private int pendingCount() throws Exception {
    int n = 0;
    for (String id : pending) {
      if (ferry.send(HttpMethod.GET, "/v2/messages/" + id, Map.of(), null).statusCode() == 200) n++;
    }
    return n;
  }
}
