package dev.ferry.api;

import static dev.ferry.api.QueuesAndGroupsTest.assertError;
import static dev.ferry.testing.RawHttp.head;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.GatewayTest;
import dev.ferry.testing.RawHttp;
import dev.ferry.testing.Sink;
import dev.ferry.testing.TestFerry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Header injection and smuggling (docs/compatibility.md#forwarded-headers) and header limits
 * (docs/compatibility.md#limits), sent byte for byte over raw sockets where an HTTP client would
 * refuse or normalise the request. The sink must never see a smuggled header or a second request.
 */
class HostileHeadersTest extends GatewayTest {
  private static final String AUTH = "Authorization: Bearer " + TestFerry.TOKEN;

  private RawHttp.Response raw(Vertx vertx, String request) throws Exception {
    try (RawHttp connection = RawHttp.connect(vertx, ferry.port())) {
      return connection.write(request).awaitResponse(10_000);
    }
  }

  private String publishLine() {
    return "POST /v2/publish/" + sink.url("/x") + " HTTP/1.1";
  }

  private static void assertJsonError(RawHttp.Response r, int status, String fragment) {
    assertEquals(status, r.status(), r.body());
    assertTrue(
        r.headers().getOrDefault("content-type", "").startsWith("application/json"),
        r.headers().toString());
    assertTrue(r.error().contains(fragment), r.error());
  }

  @Test
  void cr_lf_or_nul_in_a_forwarded_header_value_is_400(Vertx vertx) throws Exception {
    String host = "Host: 127.0.0.1";
    // a bare CR or a NUL inside a value: the HTTP decoder refuses the request; Ferry answers
    // (Vert.x alone would just drop the connection) and closes
    RawHttp.Response cr =
        raw(
            vertx,
            head(
                publishLine(), host, AUTH, "Upstash-Forward-X: a\rX-Evil: 1", "Content-Length: 0"));
    RawHttp.Response nul =
        raw(vertx, head(publishLine(), host, AUTH, "Upstash-Forward-X: a\0b", "Content-Length: 0"));
    for (RawHttp.Response r : List.of(cr, nul)) {
      assertJsonError(r, 400, "malformed HTTP request");
      assertEquals("close", r.headers().get("connection"));
    }
    // the same bytes where a client can carry them: a config query parameter and a batch entry
    assertError(
        ferry.publish(sink.url("/x") + "?upstash-forward-x=a%0D%0AX-Evil:%201", Map.of(), "x"),
        400,
        "control characters");
    assertError(
        ferry.publish(sink.url("/x") + "?upstash-forward-x=a%00b", Map.of(), "x"),
        400,
        "control characters");
    for (String value : List.of("a\r\nX-Evil: 1", "a\nb", "a\u0000b", "a\rb")) {
      JsonArray batch =
          new JsonArray()
              .add(
                  new JsonObject()
                      .put("destination", sink.url("/x"))
                      .put("headers", new JsonObject().put("Upstash-Forward-X", value)));
      HttpResponse<Buffer> r = ferry.send(HttpMethod.POST, "/v2/batch", Map.of(), batch.encode());
      assertTrue(
          r.bodyAsJsonArray().getJsonObject(0).getString("error").contains("control characters"),
          r.bodyAsString());
    }
    assertNothingDelivered();
  }

  @Test
  void a_header_line_after_a_forwarded_one_is_never_forwarded(Vertx vertx) throws Exception {
    String host = "Host: 127.0.0.1";
    // CRLF ends the forwarded value: what follows is an ordinary request header, not part of X
    RawHttp.Response split =
        raw(
            vertx,
            head(
                    publishLine(),
                    host,
                    AUTH,
                    "Upstash-Forward-X: a",
                    "X-Evil: 1",
                    "Content-Length: 1")
                + "b");
    assertEquals(201, split.status(), split.body());
    // an obsolete line fold joins the lines into one value; it cannot become a header of its own
    RawHttp.Response folded =
        raw(
            vertx,
            head(
                    publishLine(),
                    host,
                    AUTH,
                    "Upstash-Forward-Y: a",
                    " X-Evil: 1",
                    "Content-Length: 1")
                + "c");
    assertTrue(folded.status() == 201 || folded.status() == 400, folded.toString());
    List<Sink.Received> got = sink.await("/x", folded.status() == 201 ? 2 : 1, 10_000);
    for (Sink.Received r : got) {
      assertNull(r.header("X-Evil"), "smuggled header reached the sink: " + r.headers());
    }
    assertEquals(
        "a",
        got.stream()
            .filter(r -> r.body().toString().equals("b"))
            .findFirst()
            .orElseThrow()
            .header("X"));
  }

  @Test
  void framing_hop_by_hop_and_reserved_headers_cannot_be_forwarded() throws Exception {
    for (String name :
        List.of(
            "Host",
            "Content-Length",
            "Transfer-Encoding",
            "Connection",
            "Keep-Alive",
            "TE",
            "Trailer",
            "Upgrade",
            "Proxy-Authorization",
            "Proxy-Authenticate",
            "Proxy-Connection",
            "Proxy-Anything",
            "Upstash-Signature",
            "Upstash-Message-Id",
            "Upstash-Retried")) {
      HttpResponse<Buffer> refused =
          ferry.publish(sink.url("/x"), Map.of("Upstash-Forward-" + name, "1"), "x");
      assertEquals(400, refused.statusCode(), name);
      assertTrue(
          refused.bodyAsJsonObject().getString("error").toLowerCase().contains(name.toLowerCase()),
          name);
      JsonArray batch =
          new JsonArray()
              .add(
                  new JsonObject()
                      .put("destination", sink.url("/x"))
                      .put(
                          "headers",
                          new JsonObject().put("upstash-forward-" + name.toLowerCase(), "1")));
      HttpResponse<Buffer> r = ferry.send(HttpMethod.POST, "/v2/batch", Map.of(), batch.encode());
      assertTrue(
          r.bodyAsJsonArray().getJsonObject(0).getString("error").contains("cannot be forwarded"),
          name + ": " + r.bodyAsString());
    }
    // schedules and URL-group defaults go through the same parser
    assertError(
        ferry.send(
            HttpMethod.POST,
            "/v2/schedules/" + sink.url("/x"),
            Map.of("Upstash-Cron", "* * * * *", "Upstash-Forward-Transfer-Encoding", "chunked"),
            "x"),
        400,
        "Transfer-Encoding");
    assertEquals(
        200,
        ferry
            .send(
                HttpMethod.POST,
                "/v2/topics/g/endpoints",
                Map.of(),
                "{\"endpoints\":[{\"url\":\"" + sink.url("/x") + "\"}]}")
            .statusCode());
    assertError(
        ferry.send(
            HttpMethod.PATCH,
            "/v2/topics/g",
            Map.of(),
            "{\"headers\":{\"Upstash-Forward-Proxy-Authorization\":\"x\"}}"),
        400,
        "Proxy-Authorization");
    assertNothingDelivered();
  }

  @Test
  void smuggling_attempts_reach_the_sink_as_one_request_with_ferrys_own_headers(Vertx vertx)
      throws Exception {
    // header-forward mode passes plain headers on, but never framing, hop-by-hop, proxy or
    // Upstash-* ones
    String body = "a\r\n\r\nPOST /second HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n";
    RawHttp.Response r =
        raw(
            vertx,
            head(
                    publishLine(),
                    "Host: 127.0.0.1",
                    AUTH,
                    "Upstash-Header-Forward: true",
                    "Keep-Alive: timeout=5",
                    "TE: trailers",
                    "Trailer: X-Late",
                    "Proxy-Authorization: Basic eA==",
                    "Upstash-Signature: forged",
                    "Upstash-Message-Id: msg_forged",
                    "Upstash-Retried: 99",
                    "X-Plain: kept",
                    "Content-Length: " + body.length())
                + body);
    assertEquals(201, r.status(), r.body());
    String id = new JsonObject(r.body()).getString("messageId");
    Sink.Received got = sink.await("/x", 1, 10_000).get(0);
    assertEquals("kept", got.header("X-Plain"));
    for (String name : List.of("Keep-Alive", "TE", "Trailer", "Proxy-Authorization")) {
      assertNull(got.header(name), name + " reached the sink: " + got.headers());
    }
    assertEquals(id, got.header("Upstash-Message-Id"));
    assertEquals("0", got.header("Upstash-Retried"));
    assertNotEquals("forged", got.header("Upstash-Signature"));
    assertEquals(
        body, got.body().toString(), "the body is delivered as bytes, not as a second request");
    assertDeliveredBesides(1);
  }

  @Test
  void too_many_or_too_large_headers_are_431_and_a_long_request_line_414(Vertx vertx)
      throws Exception {
    String[] many = new String[202];
    many[0] = "Host: 127.0.0.1";
    many[1] = AUTH;
    for (int i = 2; i < many.length; i++) many[i] = "X-H" + i + ": v";
    assertJsonError(raw(vertx, head(publishLine(), many)), 431, "too many request headers");
    assertJsonError(
        raw(vertx, head(publishLine(), "Host: 127.0.0.1", AUTH, "X-Big: " + "v".repeat(64 * 1024))),
        431,
        "request headers too large");
    assertJsonError(
        raw(
            vertx,
            head(
                "POST /v2/publish/" + sink.url("/" + "p".repeat(20 * 1024)) + " HTTP/1.1",
                "Host: 127.0.0.1",
                AUTH)),
        414,
        "request line too long");
    assertJsonError(
        raw(vertx, head(publishLine(), "Host: 127.0.0.1", AUTH, "Bad Name: x")), 400, "malformed");
    // ordinary requests still pass on a fresh connection
    assertEquals(201, ferry.publish(sink.url("/ok"), Map.of("X-1", "a"), "x").statusCode());
  }

  /** Found by fuzzing: this cron made the cron library throw, which became a 500. */
  @Test
  void a_cron_spec_that_crashed_the_cron_library_is_400() throws Exception {
    assertError(
        ferry.send(
            HttpMethod.POST,
            "/v2/schedules/" + sink.url("/x"),
            Map.of("Upstash-Cron", "0 0 30 | *"),
            "x"),
        400,
        "Invalid cron expression");
  }

  private void assertNothingDelivered() throws Exception {
    assertDeliveredBesides(0);
  }

  /**
   * Publishes a marker after everything else and waits for it: by then anything refused (or
   * smuggled along with an earlier delivery) would have arrived too, so the sink holds exactly
   * {@code expected} requests plus the marker.
   */
  private void assertDeliveredBesides(int expected) throws Exception {
    assertEquals(201, ferry.publish(sink.url("/marker"), Map.of(), "m").statusCode());
    sink.await("/marker", 1, 10_000);
    assertEquals(expected + 1, sink.received().size(), "unexpected deliveries: " + sink.received());
  }
}
