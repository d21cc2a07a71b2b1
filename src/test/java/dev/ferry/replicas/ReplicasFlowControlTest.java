package dev.ferry.replicas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.store.redis.Partitions;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.FerryReplicas;
import dev.ferry.testing.Polls;
import dev.ferry.testing.Sink;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three Ferry replicas (child JVMs) on one Redis: a flow-control key lives on the replica that owns
 * its partition, yet the flow-control API answers alike on every replica with that owner's live
 * state, and a pause or resume sent to any replica takes effect on the lane that delivers the key.
 * When the owner is gone, a command answers 503 with {@code Retry-After} at once instead of
 * hanging.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ReplicasFlowControlTest {
  private static final int REPLICAS = 3;
  private static final int PARTITIONS = 16;
  private static final String TENANT = "crash"; // FerryProcess's one tenant
  private static final String KEY = "fc-replicas";

  @TempDir static Path dir;
  private Vertx vertx;
  private FerryReplicas replicas;
  private Sink sink;
  private WebClient client;
  private int owner;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    sink = Sink.startBlocking(vertx);
    client = WebClient.create(vertx);
    replicas =
        FerryReplicas.start(
            vertx, dir, REPLICAS, PARTITIONS, Duration.ofSeconds(2), new JsonObject());
    replicas.awaitBalanced(Duration.ofSeconds(30));
    String holder =
        replicas.holders().get(new Partitions(PARTITIONS).ofFlowControlKey(TENANT, KEY));
    owner = Integer.parseInt(holder.substring("replica-".length())) - 1;
  }

  @AfterAll
  void stop() throws Exception {
    if (replicas != null) replicas.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  @Order(1)
  void every_replica_shows_pauses_resumes_pins_and_lists_the_owners_key() throws Exception {
    int a = (owner + 1) % REPLICAS;
    int b = (owner + 2) % REPLICAS;
    // GIVEN a key published through a replica that does not own it, and delivered
    assertEquals(201, publish(a, "first").statusCode());
    sink.await("/fc", 1, 10_000);

    // WHEN another non-owner is asked, THEN it shows the owner's lane
    JsonObject shown = show(b);
    assertEquals(KEY, shown.getString("flowControlKey"));
    assertEquals(1, shown.getInteger("parallelismMax"));
    assertEquals(false, shown.getBoolean("isPaused"));

    // a pause through a non-owner holds what is published after it, on the owner's lane
    assertEquals(200, send(a, HttpMethod.POST, "/v2/flowControl/" + KEY + "/pause").statusCode());
    for (int i = 0; i < REPLICAS; i++)
      assertEquals(true, show(i).getBoolean("isPaused"), "on " + i);
    for (int i = 0; i < 3; i++) assertEquals(201, publish(i, "held " + i).statusCode());
    Polls.within(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .alias("three messages waiting on the paused key")
        .until(() -> show(b).getInteger("waitListSize") == 3);
    assertEquals(1, sink.received("/fc").size(), "delivered while paused");

    // a resume through the other non-owner delivers the waitlist within a second
    long resumed = System.nanoTime();
    assertEquals(200, send(b, HttpMethod.POST, "/v2/flowControl/" + KEY + "/resume").statusCode());
    sink.await("/fc", 4, 1_000);
    System.out.printf(
        "REPLICAS flow control: waitlist delivered %d ms after a resume on a non-owner%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - resumed));

    // pins through one replica show on every other
    String pin = "/v2/flowControl/" + KEY + "/pin?parallelism=3&rate=5&period=2";
    assertEquals(200, send(a, HttpMethod.POST, pin).statusCode());
    for (int i = 0; i < REPLICAS; i++) {
      JsonObject pinned = show(i);
      assertEquals(true, pinned.getBoolean("isPinnedParallelism"), "on " + i);
      assertEquals(3, pinned.getInteger("parallelismMax"), "on " + i);
      assertEquals(true, pinned.getBoolean("isPinnedRate"), "on " + i);
      assertEquals(5, pinned.getInteger("rateMax"), "on " + i);
      assertEquals(2, pinned.getInteger("ratePeriod"), "on " + i);
    }

    // the list is the same on every replica, the owner's key once
    for (int i = 0; i < REPLICAS; i++) {
      HttpResponse<Buffer> listed = send(i, HttpMethod.GET, "/v2/flowControl?search=fc-rep");
      assertEquals(200, listed.statusCode(), listed.bodyAsString());
      JsonArray keys = listed.bodyAsJsonArray();
      assertEquals(1, keys.size(), "on " + i + ": " + keys);
      assertEquals(KEY, keys.getJsonObject(0).getString("flowControlKey"), "on " + i);
    }

    // a key nobody delivered and nobody set is unknown everywhere
    for (int i = 0; i < REPLICAS; i++) {
      HttpResponse<Buffer> unknown = send(i, HttpMethod.GET, "/v2/flowControl/never-used-" + i);
      assertEquals(404, unknown.statusCode(), "on " + i + ": " + unknown.bodyAsString());
    }
  }

  @Test
  @Order(2)
  void a_command_for_a_key_whose_owner_died_answers_503_at_once() throws Exception {
    int survivor = (owner + 1) % REPLICAS;
    replicas.replica(owner).kill9();
    // its lease is still held for up to a lease time: nobody answers on its channel
    long asked = System.nanoTime();
    HttpResponse<Buffer> r = send(survivor, HttpMethod.POST, "/v2/flowControl/" + KEY + "/pause");
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked);
    assertEquals(503, r.statusCode(), r.bodyAsString());
    assertNotNull(r.getHeader("Retry-After"));
    assertTrue(r.bodyAsJsonObject().getString("error").contains(KEY), r.bodyAsString());
    assertTrue(tookMillis < 2_500, "answered after " + tookMillis + " ms");
  }

  @Test
  @Order(3)
  void the_replica_that_takes_the_key_over_has_the_pins_set_after_it_started() throws Exception {
    // the survivors started before the pins of test 1 were set: the new owner reads them anew
    int survivor = (owner + 1) % REPLICAS;
    int partition = new Partitions(PARTITIONS).ofFlowControlKey(TENANT, KEY);
    Polls.within(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .alias("the key's partition taken over")
        .until(
            () -> {
              String holder = replicas.holders().get(partition);
              return holder != null && !holder.equals(FerryReplicas.name(owner));
            });
    Polls.within(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .alias("the key known on its new owner")
        .until(() -> send(survivor, HttpMethod.GET, "/v2/flowControl/" + KEY).statusCode() == 200);
    JsonObject pinned = show(survivor);
    assertEquals(true, pinned.getBoolean("isPinnedParallelism"), pinned.encode());
    assertEquals(3, pinned.getInteger("parallelismMax"), pinned.encode());
    assertEquals(true, pinned.getBoolean("isPinnedRate"), pinned.encode());
    assertEquals(5, pinned.getInteger("rateMax"), pinned.encode());
  }

  private JsonObject show(int replica) throws Exception {
    HttpResponse<Buffer> r = send(replica, HttpMethod.GET, "/v2/flowControl/" + KEY);
    assertEquals(200, r.statusCode(), "on replica " + replica + ": " + r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  private HttpResponse<Buffer> publish(int replica, String body) throws Exception {
    return request(
            replica,
            HttpMethod.POST,
            "/v2/publish/" + sink.url("/fc"),
            Map.of("Upstash-Flow-Control-Key", KEY, "Upstash-Flow-Control-Value", "parallelism=1"))
        .sendBuffer(Buffer.buffer(body))
        .await(10, TimeUnit.SECONDS);
  }

  private HttpResponse<Buffer> send(int replica, HttpMethod method, String path) throws Exception {
    return request(replica, method, path, Map.of()).send().await(10, TimeUnit.SECONDS);
  }

  private HttpRequest<Buffer> request(
      int replica, HttpMethod method, String path, Map<String, String> headers) {
    HttpRequest<Buffer> request =
        client
            .request(method, replicas.replica(replica).port(), "127.0.0.1", path)
            .bearerTokenAuthentication(FerryProcess.TOKEN);
    headers.forEach(request::putHeader);
    return request;
  }
}
