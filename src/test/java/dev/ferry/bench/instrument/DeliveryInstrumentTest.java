package dev.ferry.bench.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.auth0.jwt.interfaces.DecodedJWT;
import dev.ferry.testing.Jwt;
import dev.ferry.testing.Ports;
import dev.ferry.testing.Sink;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/**
 * The delivery instruments against a real sink: what each request carries and what the signing one
 * records.
 */
class DeliveryInstrumentTest {
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
  void signing_instrument_signs_every_request_and_writes_every_outcome() throws Exception {
    SignAndRecord gateway = new SignAndRecord(dir);
    JsonObject answer = deliver(gateway, "/instrument", 200);
    assertEquals(200L, answer.getLong("sent"), answer.encode());
    assertEquals(0L, answer.getLong("errors"), answer.encode());

    List<Sink.Received> received = sink.received("/instrument");
    assertEquals(200, received.size());
    Set<String> jwtIds = new HashSet<>();
    for (Sink.Received r : received) {
      DecodedJWT jwt =
          Jwt.verify(
              r.header("Upstash-Signature"),
              gateway.signingKey(),
              sink.url("/instrument"),
              r.body().getBytes());
      jwtIds.add(jwt.getId());
      assertTrue(
          jwt.getExpiresAt().getTime() - jwt.getIssuedAt().getTime() == 300_000, jwt.getPayload());
    }
    assertEquals(200, jwtIds.size(), "a fresh jti per request");

    gateway
        .close(); // every outcome was written before the run answered; closing releases the store
    // to read it
    List<String> outcomes = outcomes(dir);
    assertEquals(200, outcomes.size());
    Set<String> messageIds = new HashSet<>();
    for (String outcome : outcomes) {
      String[] fields = outcome.split(" ");
      assertTrue(
          fields.length == 3 && fields[0].startsWith("msg_") && fields[1].equals("200"), outcome);
      messageIds.add(fields[0]);
    }
    assertEquals(200, messageIds.size(), "one outcome per delivery");
  }

  @Test
  void signing_instrument_records_no_outcome_for_a_failed_delivery() throws Exception {
    sink.on("/failing", r -> Sink.Reply.status(500));
    SignAndRecord gateway = new SignAndRecord(dir);
    JsonObject answer = deliver(gateway, "/failing", 20);
    assertEquals(0L, answer.getLong("sent"), answer.encode());
    assertEquals(20L, answer.getLong("errors"), answer.encode());
    gateway.close();
    assertEquals(List.of(), outcomes(dir));
  }

  @Test
  void bare_instrument_sends_the_body_and_nothing_else() throws Exception {
    JsonObject answer = deliver(null, "/instrument", 50);
    assertEquals(50L, answer.getLong("sent"), answer.encode());
    List<Sink.Received> received = sink.received("/instrument");
    assertEquals(50, received.size());
    for (Sink.Received r : received) {
      assertNull(r.header("Upstash-Signature"));
      assertEquals(DeliveryInstrument.BODY, r.body());
    }
  }

  /**
   * Deploys the instrument (signing with {@code gateway}, bare without) and runs {@code requests}
   * deliveries.
   */
  private JsonObject deliver(SignAndRecord gateway, String path, int requests) throws Exception {
    int port = Ports.freePort();
    vertx.deployVerticle(new DeliveryInstrument(port, gateway)).await(10, TimeUnit.SECONDS);
    HttpRequest run =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + port
                        + "/deliver?sinkPort="
                        + sink.port()
                        + "&path="
                        + path
                        + "&seconds=30&connections=8&instances=2&requests="
                        + requests))
            .POST(HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(60))
            .build();
    HttpResponse<String> response = HTTP.send(run, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  /** Every value in the RocksDB at {@code dir}, read back by a fresh read-only instance. */
  static List<String> outcomes(Path dir) throws Exception {
    List<String> values = new ArrayList<>();
    try (Options options = new Options();
        RocksDB db = RocksDB.openReadOnly(options, dir.toString());
        RocksIterator it = db.newIterator()) {
      for (it.seekToFirst(); it.isValid(); it.next())
        values.add(new String(it.value(), StandardCharsets.US_ASCII));
      it.status();
    }
    return values;
  }
}
