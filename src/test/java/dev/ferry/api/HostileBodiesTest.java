package dev.ferry.api;

import static dev.ferry.api.QueuesAndGroupsTest.assertError;
import static dev.ferry.testing.RawHttp.head;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.GatewayTest;
import dev.ferry.testing.Polls;
import dev.ferry.testing.RawHttp;
import dev.ferry.testing.TestFerry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Body and batch limits (docs/architecture.md#hostile-input-and-parsers): a body over the limit is
 * answered 413 before it has been sent in full — at once when {@code Content-Length} announces it,
 * while streaming when it is chunked — and a batch that is not strict JSON or too big is refused
 * whole, leaving no message behind. Test limits: 64 KiB per message, 1 MiB per request, 100 batch
 * entries.
 */
class HostileBodiesTest extends GatewayTest {
  private static final int MESSAGE_LIMIT = 64 * 1024;
  private static final int REQUEST_LIMIT = 1024 * 1024;
  private static final String AUTH = "Authorization: Bearer " + TestFerry.TOKEN;

  @Test
  void a_body_announced_over_the_limit_is_413_before_any_of_it_is_sent(Vertx vertx)
      throws Exception {
    // The body is never written: an answer proves the limit was applied to Content-Length alone.
    try (RawHttp c = RawHttp.connect(vertx, ferry.port())) {
      c.write(
          head(
              "POST /v2/publish/" + sink.url("/x") + " HTTP/1.1",
              "Host: 127.0.0.1",
              AUTH,
              "Content-Length: " + (MESSAGE_LIMIT + 1)));
      assertEquals(413, c.awaitResponse(10_000).status());
    }
    try (RawHttp c = RawHttp.connect(vertx, ferry.port())) {
      c.write(
          head(
              "POST /v2/batch HTTP/1.1",
              "Host: 127.0.0.1",
              AUTH,
              "Content-Type: application/json",
              "Content-Length: " + (REQUEST_LIMIT + 1)));
      RawHttp.Response r = c.awaitResponse(10_000);
      assertEquals(413, r.status());
      assertEquals("request body too large", r.error());
    }
    assertNoMessages();
  }

  @Test
  void a_request_without_a_valid_token_is_401_before_its_body_is_read(Vertx vertx)
      throws Exception {
    for (String auth : new String[] {"X-No-Auth: 1", "Authorization: Bearer wrong"}) {
      try (RawHttp c = RawHttp.connect(vertx, ferry.port())) {
        c.write(
            head(
                "POST /v2/batch HTTP/1.1",
                "Host: 127.0.0.1",
                auth,
                "Content-Length: " + (REQUEST_LIMIT / 2)));
        assertEquals(401, c.awaitResponse(10_000).status()); // the announced body never comes
      }
    }
  }

  @Test
  void a_chunked_body_over_the_limit_is_413_while_it_streams(Vertx vertx) throws Exception {
    // Chunks past the limit, and the terminating chunk never comes: only a server that counts while
    // it reads answers.
    try (RawHttp c = RawHttp.connect(vertx, ferry.port())) {
      c.write(
          head(
              "POST /v2/publish/" + sink.url("/x") + " HTTP/1.1",
              "Host: 127.0.0.1",
              AUTH,
              "Transfer-Encoding: chunked"));
      for (int sent = 0; sent <= MESSAGE_LIMIT; sent += 8192) c.chunk(filled(8192));
      RawHttp.Response r = c.awaitResponse(10_000);
      assertEquals(413, r.status());
      assertEquals("request body too large", r.error());
    }
    try (RawHttp c = RawHttp.connect(vertx, ferry.port())) {
      c.write(
          head("POST /v2/batch HTTP/1.1", "Host: 127.0.0.1", AUTH, "Transfer-Encoding: chunked"));
      c.chunk("[".getBytes(StandardCharsets.US_ASCII));
      for (int sent = 0; sent <= REQUEST_LIMIT; sent += 65536) c.chunk(filled(65536));
      assertEquals(413, c.awaitResponse(10_000).status());
    }
    assertNoMessages();
  }

  @Test
  void a_chunked_body_within_the_limit_is_delivered_byte_for_byte(Vertx vertx) throws Exception {
    byte[] body = new byte[MESSAGE_LIMIT];
    for (int i = 0; i < body.length; i++) body[i] = (byte) (i * 31); // binary, every byte value
    try (RawHttp c = RawHttp.connect(vertx, ferry.port())) {
      c.write(
          head(
              "POST /v2/publish/" + sink.url("/x") + " HTTP/1.1",
              "Host: 127.0.0.1",
              AUTH,
              "Content-Type: application/octet-stream",
              "Transfer-Encoding: chunked"));
      for (int i = 0; i < body.length; i += 10_000)
        c.chunk(Arrays.copyOfRange(body, i, Math.min(body.length, i + 10_000)));
      c.write("0\r\n\r\n");
      assertEquals(201, c.awaitResponse(10_000).status());
    }
    assertTrue(
        Arrays.equals(body, sink.await("/x", 1, 10_000).get(0).body().getBytes()),
        "body changed on the way");
  }

  @Test
  void a_batch_over_the_entry_limit_is_refused_after_reading_one_entry_too_many() throws Exception {
    String entry = "{\"destination\":\"" + sink.url("/x") + "\"}";
    assertError(batch("[" + (entry + ",").repeat(100) + entry + "]"), 400, "batch too large");
    // 100 000 entries of "{}": refused at the 101st, without building the rest
    long started = System.nanoTime();
    assertError(batch("[" + "{},".repeat(99_999) + "{}]"), 400, "more than 100 entries");
    assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) < 5, "slow refusal");
    assertNoMessages();
  }

  @Test
  void batches_that_are_not_strict_json_are_refused_whole() throws Exception {
    String valid = "{\"destination\":\"" + sink.url("/x") + "\"}";
    assertError(
        batch(
            "["
                + valid
                + ",{\"destination\":\""
                + sink.url("/a")
                + "\",\"destination\":\""
                + sink.url("/b")
                + "\"}]"),
        400,
        "Duplicate field 'destination'");
    assertError(
        batch("[" + valid + ",{\"headers\":{\"a\":" + "[".repeat(1000) + "]".repeat(1000) + "}}]"),
        400,
        "nesting depth");
    assertError(
        batch("[" + valid + ",{\"headers\":{\"a\":" + "9".repeat(2000) + "}}]"),
        400,
        "Number value length");
    assertError(batch("[" + valid + ",{\"headers\":{\"a\":1e999}}]"), 400, "out of range");
    assertError(batch("[" + valid + "] [" + valid + "]"), 400, "content after the array");
    assertError(batch("[" + valid + ",]"), 400, "malformed JSON");
    for (byte[] bad :
        new byte[][] {
          {(byte) 0xff},
          {(byte) 0xc0, (byte) 0x80},
          {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
          {(byte) 0xe2, (byte) 0x82}
        }) {
      Buffer body =
          Buffer.buffer("[" + valid + ",{\"destination\":\"" + sink.url("/x") + "\",\"body\":\"")
              .appendBytes(bad)
              .appendString("\"}]");
      HttpResponse<Buffer> r =
          ferry.await(() -> ferry.request(HttpMethod.POST, "/v2/batch").sendBuffer(body));
      assertError(r, 400, "invalid UTF-8");
    }
    assertNoMessages();
  }

  private HttpResponse<Buffer> batch(String json) throws Exception {
    return ferry.send(
        HttpMethod.POST, "/v2/batch", Map.of("Content-Type", "application/json"), json);
  }

  private static byte[] filled(int size) {
    byte[] b = new byte[size];
    Arrays.fill(b, (byte) 'x');
    return b;
  }

  /**
   * Nothing refused was persisted: after a marker message is delivered, the message log knows only
   * the marker (a refused batch that had stored its valid entries would show them here).
   */
  private void assertNoMessages() throws Exception {
    String marker =
        ferry.publish(sink.url("/marker"), Map.of(), "m").bodyAsJsonObject().getString("messageId");
    sink.await("/marker", 1, 10_000);
    // the message log is written behind delivery, without a sync: wait until it knows the marker
    JsonObject[] logs = new JsonObject[1];
    Set<String> ids = new HashSet<>();
    Polls.waitUpTo(
        Duration.ofSeconds(10),
        () -> {
          logs[0] = ferry.send(HttpMethod.GET, "/v2/logs", Map.of(), null).bodyAsJsonObject();
          ids.clear();
          logs[0]
              .getJsonArray("events")
              .forEach(e -> ids.add(((JsonObject) e).getString("messageId")));
          return ids.contains(marker);
        });
    assertEquals(Set.of(marker), ids, logs[0].encodePrettily());
    assertEquals(1, sink.received().size(), "refused requests were delivered");
  }
}
