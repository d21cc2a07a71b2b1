package dev.ferry.bench.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.Jwt;
import dev.ferry.testing.Polls;
import dev.ferry.testing.Ports;
import dev.ferry.testing.Sink;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The latency instrument against a real sink: it stores, answers, then delivers signed. */
class RelayInstrumentTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;
  private Vertx vertx;
  private Sink sink;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    sink = Sink.startBlocking(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    if (vertx != null) vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void stores_each_body_synced_answers_then_delivers_it_signed_with_forwarded_headers()
      throws Exception {
    GroupCommit store = new GroupCommit(dir.resolve("messages"));
    SignAndRecord gateway = new SignAndRecord(dir.resolve("outcomes"), "sig_relayTestKey");
    int port = Ports.freePort();
    vertx
        .deployVerticle(
            () -> new RelayInstrument(port, store, gateway),
            new DeploymentOptions().setInstances(2))
        .await(10, TimeUnit.SECONDS);
    String url = sink.url("/latency");
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> answer =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + port + RelayInstrument.PREFIX + url))
                  .header("Upstash-Forward-X-Due-At", "1234.5")
                  .header("Authorization", "Bearer not-forwarded")
                  .POST(HttpRequest.BodyPublishers.ofString("body-" + i))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(201, answer.statusCode(), answer.body());
    }
    Polls.waitUpTo(Duration.ofSeconds(10), () -> sink.received("/latency").size() >= 20);
    List<Sink.Received> received = sink.received("/latency");
    assertEquals(20, received.size());
    for (Sink.Received r : received) {
      Jwt.verify(r.header("Upstash-Signature"), "sig_relayTestKey", url, r.body().getBytes());
      assertEquals("1234.5", r.header("X-Due-At"));
      assertEquals(null, r.header("Authorization"));
      assertTrue(r.body().toString().startsWith("body-"), r.body().toString());
    }
    // a read-only open replays the WAL, so it sees unsynced outcomes once they are written
    Polls.waitUpTo(
        Duration.ofSeconds(10),
        () -> DeliveryInstrumentTest.outcomes(dir.resolve("outcomes")).size() >= 20);
    assertEquals(
        20, DeliveryInstrumentTest.outcomes(dir.resolve("outcomes")).size(), "every 2xx recorded");
    assertEquals(
        20, DeliveryInstrumentTest.outcomes(dir.resolve("messages")).size(), "every body stored");
    store.close();
    gateway.close();
  }
}
