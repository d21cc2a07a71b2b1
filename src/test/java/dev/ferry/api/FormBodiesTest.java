package dev.ferry.api;

import static dev.ferry.testing.RawHttp.head;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.testing.GatewayTest;
import dev.ferry.testing.LogCapture;
import dev.ferry.testing.RawHttp;
import dev.ferry.testing.Sink;
import dev.ferry.testing.TestFerry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A body sent as {@code application/x-www-form-urlencoded} or {@code multipart/form-data} is bytes
 * like any other: a publish stores and delivers it as sent, with its Content-Type, whatever is
 * inside; and the Content-Type alone never costs an answer. Ferry's body handling used to decode
 * such bodies as forms as well, which answered 500 (with a stack trace in the log) for a field over
 * 8 KiB, a malformed escape or an empty boundary, answered 500 for a GET with a {@code
 * Content-Length}, and never answered a request whose query held a malformed escape.
 */
class FormBodiesTest extends GatewayTest {
  private static final String FORM = "application/x-www-form-urlencoded";
  private static final String AUTH = "Authorization: Bearer " + TestFerry.TOKEN;

  private LogCapture log;

  @BeforeEach
  void capture() {
    log = LogCapture.start();
  }

  @AfterEach
  void release() {
    log.close();
  }

  @Test
  void form_bodies_are_published_and_delivered_byte_for_byte_with_their_content_type(Vertx vertx)
      throws Exception {
    String multipart =
        "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n"
            + "Content-Type: text/plain\r\n\r\n"
            + "z".repeat(20_000)
            + "\r\n--b--\r\n";
    Map<String, String> bodies =
        Map.of(
            "/long",
            "field=" + "v".repeat(20_000), // one field over Netty's 8 KiB attribute limit
            "/malformed",
            "a=%zz&b=%&c", // not valid form encoding: the destination's business
            "/multipart",
            multipart);
    Map<String, String> types =
        Map.of(
            "/long",
            FORM,
            "/malformed",
            FORM + "; charset=utf-8",
            "/multipart",
            "multipart/form-data; boundary=b");
    for (String path : bodies.keySet()) {
      HttpResponse<Buffer> r =
          ferry.publish(sink.url(path), Map.of("Content-Type", types.get(path)), bodies.get(path));
      assertEquals(201, r.statusCode(), path + ": " + r.bodyAsString());
    }
    WebClient h2c =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
    HttpResponse<Buffer> overH2 =
        ferry.await(
            () ->
                h2c.post(ferry.port(), "127.0.0.1", "/v2/publish/" + sink.url("/h2"))
                    .bearerTokenAuthentication(TestFerry.TOKEN)
                    .putHeader("Content-Type", FORM)
                    .sendBuffer(Buffer.buffer("a=%zz")));
    assertEquals(201, overH2.statusCode(), overH2.bodyAsString());
    assertEquals(HttpVersion.HTTP_2, overH2.version());

    for (String path : bodies.keySet()) {
      Sink.Received got = sink.await(path, 1, 10_000).get(0);
      assertEquals(bodies.get(path), got.body().toString(), path);
      assertEquals(types.get(path), got.header("Content-Type"), path);
    }
    Sink.Received h2 = sink.await("/h2", 1, 10_000).get(0);
    assertEquals("a=%zz", h2.body().toString());
    assertEquals(FORM, h2.header("Content-Type"));
    assertEquals(List.of(), log.stackTracesAndErrors());
  }

  @Test
  void a_form_content_type_on_any_request_is_answered_as_without_it(Vertx vertx) throws Exception {
    // a GET announcing an empty body
    assertEquals(200, raw(vertx, "GET /v2/queues", "multipart/form-data; boundary=b", "").status());
    assertEquals(200, raw(vertx, "GET /v2/queues", FORM, "").status());
    // a destination query with a malformed escape (accepted: Ferry reads only its upstash-*
    // parameters)
    RawHttp.Response publish = raw(vertx, "POST /v2/publish/" + sink.url("/q?y=%zz"), FORM, "a=b");
    assertEquals(201, publish.status(), publish.body());
    assertEquals("a=b", sink.await("/q", 1, 10_000).get(0).body().toString());
    // the type's case and leading spaces do not matter
    RawHttp.Response shouted =
        raw(
            vertx,
            "POST /v2/publish/" + sink.url("/s?y=%zz"),
            " Application/X-WWW-Form-URLEncoded",
            "c=d");
    assertEquals(201, shouted.status(), shouted.body());
    assertEquals("c=d", sink.await("/s", 1, 10_000).get(0).body().toString());
    // a management body that is not the JSON the endpoint reads
    RawHttp.Response queue = raw(vertx, "POST /v2/queues?x=%zz", FORM, "queueName=q");
    assertEquals(400, queue.status(), queue.body());
    assertEquals(true, queue.error().startsWith("malformed JSON"), queue.error());
    assertEquals(List.of(), log.stackTracesAndErrors());
  }

  private RawHttp.Response raw(Vertx vertx, String requestStart, String type, String body)
      throws Exception {
    try (RawHttp c = RawHttp.connect(vertx, ferry.port())) {
      return c.write(
              head(
                      requestStart + " HTTP/1.1",
                      "Host: 127.0.0.1",
                      AUTH,
                      "Content-Type: " + type,
                      "Content-Length: " + body.length())
                  + body)
          .awaitResponse(10_000);
    }
  }
}
