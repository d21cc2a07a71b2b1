package dev.ferry.api.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.GatewayTest;
import dev.ferry.testing.Sink;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code count} on the bulk calls: the DLQ's delete and retry act on at most {@code count} matches
 * per call, in listing order, and give a cursor while more remain; the bulk cancel takes every
 * match in one call whatever the count, as the current JS SDK documents and relies on.
 */
class BulkCountTest extends GatewayTest {

  @Test
  void dlq_bulk_delete_takes_count_per_call_and_its_cursor_reaches_every_match_once()
      throws Exception {
    sink.on("/dead", r -> new Sink.Reply(500, Map.of(), "", 0));
    Set<String> gone = new HashSet<>();
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      String label = i % 3 == 1 ? "keep" : "go";
      String dlqId =
          Lifecycle.deadLetter(ferry, sink.url("/dead"), Map.of("Upstash-Label", label), "d" + i);
      if (label.equals("keep")) kept.add(dlqId);
      else gone.add(dlqId);
    }
    assertEquals(
        400,
        ferry.send(HttpMethod.DELETE, "/v2/dlq?label=go&count=0", Map.of(), null).statusCode());
    assertEquals(
        400,
        ferry.send(HttpMethod.DELETE, "/v2/dlq?label=go&count=x", Map.of(), null).statusCode());
    assertEquals(7, dlqIds().size());

    int deleted = 0;
    int calls = 0;
    String cursor = null;
    do {
      JsonObject r =
          ok(
              HttpMethod.DELETE,
              "/v2/dlq?label=go&count=2" + (cursor == null ? "" : "&cursor=" + cursor));
      int n = r.getInteger("deleted");
      assertTrue(n <= 2, r.encode());
      deleted += n;
      cursor = r.getString("cursor");
      calls++;
    } while (cursor != null && calls < 10);
    assertEquals(gone.size(), deleted);
    assertEquals(3, calls, "5 matches, 2 per call");
    assertEquals(kept, dlqIds(), "the other entries stay");
  }

  @Test
  void dlq_bulk_retry_takes_count_per_call_and_its_cursor_reaches_every_match_once()
      throws Exception {
    sink.on("/dead", r -> new Sink.Reply(500, Map.of(), "", 0));
    List<String> entries = new ArrayList<>();
    for (int i = 0; i < 5; i++)
      entries.add(Lifecycle.deadLetter(ferry, sink.url("/dead"), Map.of(), "r" + i));
    Lifecycle.deadLetter(ferry, sink.url("/dead"), Map.of("Upstash-Label", "other"), "o");
    sink.on("/dead", r -> Sink.Reply.status(200));

    Set<String> newIds = new HashSet<>();
    int calls = 0;
    String cursor = "";
    do {
      // the JS SDK's retry({ all: true, count, cursor }) sends exactly count and cursor
      JsonObject r =
          ok(
              HttpMethod.POST,
              "/v2/dlq/retry?count=2" + (cursor.isEmpty() ? "" : "&cursor=" + cursor));
      assertTrue(r.getJsonArray("responses").size() <= 2, r.encode());
      r.getJsonArray("responses").forEach(x -> newIds.add(((JsonObject) x).getString("messageId")));
      cursor = r.getString("cursor");
      calls++;
    } while (!cursor.isEmpty() && calls < 10);
    assertEquals(6, newIds.size(), "every entry retried once, each as a new message");
    assertEquals(List.of(), dlqIds());
    List<Sink.Received> got = sink.await("/dead", 12, 10_000);
    List<String> bodies =
        got.subList(6, 12).stream().map(x -> x.body().toString()).sorted().toList();
    assertEquals(List.of("o", "r0", "r1", "r2", "r3", "r4"), bodies, "each retried exactly once");
  }

  @Test
  void bulk_cancel_takes_every_match_in_one_call_whatever_the_count() throws Exception {
    List<String> red = new ArrayList<>();
    for (int i = 0; i < 3; i++) red.add(delayed("red"));
    String blue = delayed("blue");
    assertEquals(
        400,
        ferry
            .send(HttpMethod.DELETE, "/v2/messages?label=red&count=0", Map.of(), null)
            .statusCode());
    assertEquals(4, pending(red, blue));

    // what the JS SDK sends for cancel({ filter: { label }, count: 1 }) and then for cancel({ all:
    // true, count: 1 })
    assertEquals(
        3, ok(HttpMethod.DELETE, "/v2/messages?label=red&count=1").getInteger("cancelled"));
    assertEquals(1, pending(red, blue));
    assertEquals(1, ok(HttpMethod.DELETE, "/v2/messages?count=1").getInteger("cancelled"));
    assertEquals(0, pending(red, blue));
    assertEquals(0, ok(HttpMethod.DELETE, "/v2/messages?count=1").getInteger("cancelled"));
  }

  private String delayed(String label) throws Exception {
    return Lifecycle.publish(
        ferry, sink.url("/later"), Map.of("Upstash-Delay", "1h", "Upstash-Label", label), "x");
  }

  private int pending(List<String> ids, String more) throws Exception {
    int n = 0;
    List<String> all = new ArrayList<>(ids);
    all.add(more);
    for (String id : all) {
      if (ferry.send(HttpMethod.GET, "/v2/messages/" + id, Map.of(), null).statusCode() == 200) n++;
    }
    return n;
  }

  private JsonObject ok(HttpMethod method, String uri) throws Exception {
    HttpResponse<Buffer> r = ferry.send(method, uri, Map.of(), null);
    assertEquals(200, r.statusCode(), method + " " + uri + ": " + r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  private List<String> dlqIds() throws Exception {
    List<String> out = new ArrayList<>();
    Lifecycle.get(ferry, "/v2/dlq")
        .getJsonArray("messages")
        .forEach(m -> out.add(((JsonObject) m).getString("dlqId")));
    return out;
  }
}
