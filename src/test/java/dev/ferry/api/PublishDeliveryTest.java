package dev.ferry.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.auth0.jwt.interfaces.DecodedJWT;
import dev.ferry.testing.GatewayTest;
import dev.ferry.testing.Jwt;
import dev.ferry.testing.Polls;
import dev.ferry.testing.Sink;
import dev.ferry.testing.TestFerry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A published message reaches its destination exactly as QStash would send it. */
class PublishDeliveryTest extends GatewayTest {
  @Test
  void published_message_arrives_signed_with_body_headers_and_query_intact() throws Exception {
    String url = sink.url("/hook?a=1&b=two");
    HttpResponse<Buffer> r =
        ferry.publish(
            url + "&upstash-method=PUT&qstash_token=ignored-here",
            Map.of(
                "Content-Type", "text/plain; charset=utf-8",
                "Upstash-Forward-X-Custom", "custom value",
                "upstash-forward-authorization", "Bearer for-the-destination",
                "X-Not-Forwarded", "nope",
                "Upstash-Telemetry-Sdk", "upstash-qstash-js@2"),
            "héllo body");
    assertEquals(201, r.statusCode(), r.bodyAsString());
    String id = r.bodyAsJsonObject().getString("messageId");
    assertTrue(id.startsWith("msg_"), id);

    Sink.Received got = sink.await("/hook", 1, 10_000).get(0);
    assertEquals("PUT", got.method());
    assertEquals("/hook?a=1&b=two", got.uri());
    assertArrayEquals(
        "héllo body".getBytes(java.nio.charset.StandardCharsets.UTF_8), got.body().getBytes());
    assertEquals("text/plain; charset=utf-8", got.header("Content-Type"));
    assertEquals("custom value", got.header("X-Custom"));
    assertEquals("Bearer for-the-destination", got.header("Authorization"));
    assertNull(got.header("X-Not-Forwarded"));
    assertNull(got.header("Upstash-Telemetry-Sdk"));
    assertNull(got.header("Upstash-Forward-X-Custom"));
    assertEquals("Upstash-QStash", got.header("User-Agent"));
    assertEquals(id, got.header("Upstash-Message-Id"));
    assertEquals("0", got.header("Upstash-Retried"));
    assertEquals("127.0.0.1", got.header("Upstash-Caller-Ip"));
    DecodedJWT jwt =
        Jwt.verify(
            got.header("Upstash-Signature"), TestFerry.CURRENT_KEY, url, got.body().getBytes());
    assertEquals(
        300,
        jwt.getExpiresAt().toInstant().getEpochSecond()
            - jwt.getIssuedAt().toInstant().getEpochSecond());
    assertNotNull(jwt.getId());
  }

  @Test
  void publisher_authorization_is_never_forwarded_and_token_query_is_stripped() throws Exception {
    String url = sink.url("/plain");
    String uri = "/v2/publish/" + url + "?keep=1&qstash_token=" + TestFerry.TOKEN;
    HttpResponse<Buffer> r = ferry.await(() -> ferry.request(HttpMethod.POST, uri).send());
    assertEquals(201, r.statusCode(), r.bodyAsString());
    Sink.Received got = sink.await("/plain", 1, 10_000).get(0);
    assertEquals("/plain?keep=1", got.uri());
    assertNull(got.header("Authorization"));
    assertEquals(0, got.body().length());
    Jwt.verify(
        got.header("Upstash-Signature"), TestFerry.CURRENT_KEY, url + "?keep=1", new byte[0]);
  }

  @Test
  void token_in_query_parameter_authenticates(Vertx vertx) throws Exception {
    HttpResponse<Buffer> r =
        io.vertx.ext.web.client.WebClient.create(vertx)
            .post(
                ferry.port(),
                "127.0.0.1",
                "/v2/publish/" + sink.url("/q") + "?qstash_token=" + TestFerry.TOKEN)
            .send()
            .await(10, TimeUnit.SECONDS);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    assertEquals("/q", sink.await("/q", 1, 10_000).get(0).uri());
  }

  @Test
  void binary_body_is_delivered_byte_exact() throws Exception {
    byte[] bytes = new byte[2048];
    for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) (i * 31);
    HttpResponse<Buffer> r =
        ferry.await(
            () ->
                ferry
                    .request(HttpMethod.POST, "/v2/publish/" + sink.url("/bin"))
                    .putHeader("Content-Type", "application/octet-stream")
                    .sendBuffer(Buffer.buffer(bytes)));
    assertEquals(201, r.statusCode());
    Sink.Received got = sink.await("/bin", 1, 10_000).get(0);
    assertArrayEquals(bytes, got.body().getBytes());
    Jwt.verify(got.header("Upstash-Signature"), TestFerry.CURRENT_KEY, sink.url("/bin"), bytes);
  }

  @Test
  void delay_holds_the_message_until_due() throws Exception {
    long before = System.currentTimeMillis();
    ferry.publish(sink.url("/late"), Map.of("Upstash-Delay", "2s"), "x");
    Sink.Received got = sink.await("/late", 1, 10_000).get(0);
    assertTrue(
        got.atMillis() - before >= 2000, "delivered after " + (got.atMillis() - before) + "ms");
  }

  @Test
  void not_before_wins_over_delay() throws Exception {
    long notBefore = System.currentTimeMillis() / 1000 + 2;
    ferry.publish(
        sink.url("/nb"),
        Map.of("Upstash-Not-Before", Long.toString(notBefore), "Upstash-Delay", "0s"),
        "x");
    Sink.Received got = sink.await("/nb", 1, 10_000).get(0);
    assertTrue(
        got.atMillis() >= notBefore * 1000,
        "early by " + (notBefore * 1000 - got.atMillis()) + "ms");
  }

  @Test
  void failing_destination_is_retried_with_the_same_id_then_succeeds() throws Exception {
    int[] calls = {0};
    sink.on("/flaky", r -> Sink.Reply.status(++calls[0] < 3 ? 500 : 200));
    HttpResponse<Buffer> r =
        ferry.publish(
            sink.url("/flaky"), Map.of("Upstash-Retry-Delay", "100 * (retried + 1)"), "x");
    String id = r.bodyAsJsonObject().getString("messageId");
    List<Sink.Received> got = sink.await("/flaky", 3, 10_000);
    assertEquals(
        List.of("0", "1", "2"), got.stream().map(g -> g.header("Upstash-Retried")).toList());
    got.forEach(g -> assertEquals(id, g.header("Upstash-Message-Id")));
    assertTrue(got.get(2).atMillis() - got.get(1).atMillis() >= 200, "second retry waited 200ms");
    Thread.sleep(300);
    assertEquals(3, sink.received("/flaky").size());
    assertTrue(
        ferry.ferry().stores().dlq().list("a", null, 10).await(5, TimeUnit.SECONDS).isEmpty());
  }

  @Test
  void exhausted_retries_end_in_the_dlq_with_the_last_response() throws Exception {
    sink.on("/down", r -> new Sink.Reply(503, Map.of("X-Why", "maintenance"), "try later", 0));
    String id =
        ferry
            .publish(
                sink.url("/down"), Map.of("Upstash-Retries", "1", "Upstash-Retry-Delay", "50"), "x")
            .bodyAsJsonObject()
            .getString("messageId");
    sink.await("/down", 2, 10_000);
    var entry = awaitDlq(id);
    assertEquals(503, entry.last().status());
    assertEquals("try later", new String(entry.last().body()));
    assertEquals(List.of("maintenance"), entry.last().headers().get("X-Why"));
    assertEquals(1, entry.message().retried());
    Thread.sleep(300);
    assertEquals(2, sink.received("/down").size());
  }

  @Test
  void dlq_keeps_only_the_configured_prefix_of_a_large_response_body() throws Exception {
    sink.on("/huge", r -> new Sink.Reply(500, Map.of(), "z".repeat(200_000), 0));
    String id =
        ferry
            .publish(sink.url("/huge"), Map.of("Upstash-Retries", "0"), "x")
            .bodyAsJsonObject()
            .getString("messageId");
    var entry = awaitDlq(id);
    assertEquals(500, entry.last().status());
    assertEquals(
        "z".repeat(1024), new String(entry.last().body())); // TestFerry caps captures at 1024 bytes
  }

  @Test
  void non_retryable_489_fails_at_once() throws Exception {
    sink.on(
        "/stop", r -> new Sink.Reply(489, Map.of("Upstash-NonRetryable-Error", "true"), "no", 0));
    String id =
        ferry
            .publish(
                sink.url("/stop"), Map.of("Upstash-Retries", "5", "Upstash-Retry-Delay", "50"), "x")
            .bodyAsJsonObject()
            .getString("messageId");
    sink.await("/stop", 1, 10_000);
    assertEquals(489, awaitDlq(id).last().status());
    Thread.sleep(300);
    assertEquals(1, sink.received("/stop").size());
  }

  @Test
  void retry_after_header_sets_the_next_attempt() throws Exception {
    int[] calls = {0};
    sink.on(
        "/limited",
        r ->
            ++calls[0] == 1
                ? new Sink.Reply(429, Map.of("Retry-After", "1"), "", 0)
                : Sink.Reply.status(200));
    ferry.publish(sink.url("/limited"), Map.of("Upstash-Retry-Delay", "60000"), "x");
    List<Sink.Received> got = sink.await("/limited", 2, 10_000);
    long gap = got.get(1).atMillis() - got.get(0).atMillis();
    assertTrue(gap >= 900 && gap < 5000, "retried after " + gap + "ms");
  }

  @Test
  void attempt_timeout_counts_as_a_failure() throws Exception {
    int[] calls = {0};
    sink.on(
        "/slow",
        r -> ++calls[0] == 1 ? new Sink.Reply(200, Map.of(), "", 3000) : Sink.Reply.status(200));
    String id =
        ferry
            .publish(
                sink.url("/slow"),
                Map.of("Upstash-Timeout", "1s", "Upstash-Retry-Delay", "10"),
                "x")
            .bodyAsJsonObject()
            .getString("messageId");
    List<Sink.Received> got = sink.await("/slow", 2, 10_000);
    assertEquals("1", got.get(1).header("Upstash-Retried"));
    assertEquals(id, got.get(1).header("Upstash-Message-Id"));
    long gap = got.get(1).atMillis() - got.get(0).atMillis();
    assertTrue(gap >= 900 && gap < 2900, "second attempt after " + gap + "ms");
  }

  @Test
  void rotated_keys_sign_new_deliveries() throws Exception {
    JsonObject before = ferry.send(HttpMethod.GET, "/v2/keys", Map.of(), null).bodyAsJsonObject();
    assertEquals(TestFerry.CURRENT_KEY, before.getString("current"));
    assertEquals(TestFerry.NEXT_KEY, before.getString("next"));
    JsonObject after =
        ferry.send(HttpMethod.POST, "/v2/keys/rotate", Map.of(), null).bodyAsJsonObject();
    assertEquals(TestFerry.NEXT_KEY, after.getString("current"));
    assertTrue(after.getString("next").startsWith("sig_"));
    ferry.publish(sink.url("/rotated"), Map.of(), "x");
    Sink.Received got = sink.await("/rotated", 1, 10_000).get(0);
    Jwt.verify(
        got.header("Upstash-Signature"), TestFerry.NEXT_KEY, sink.url("/rotated"), "x".getBytes());
    assertEquals(
        after, ferry.restart().send(HttpMethod.GET, "/v2/keys", Map.of(), null).bodyAsJsonObject());
  }

  private dev.ferry.model.DlqEntry awaitDlq(String messageId) {
    return Polls.within(Duration.ofSeconds(5))
        .alias("a DLQ entry for " + messageId)
        .until(
            () ->
                ferry
                    .ferry()
                    .stores()
                    .dlq()
                    .list("a", null, 100)
                    .await(5, TimeUnit.SECONDS)
                    .stream()
                    .filter(e -> e.message().id().equals(messageId))
                    .findFirst(),
            java.util.Optional::isPresent)
        .get();
  }
}
