package dev.ferry.replicas;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * Three Ferry replicas (child JVMs) on one Redis, nothing failing: every API works the same on
 * every replica and the cluster-wide promises hold — a message published on any replica is
 * delivered exactly once, one taken by one replica is read and cancelled on another, a queue of
 * parallelism 1 has one message in flight across replicas in FIFO order, and each cron tick fires
 * once. The replicas are shared by the tests; the schedules are created first so that the cron
 * test, which runs last, has its first tick within the class's time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ReplicasTest {
  private static final int REPLICAS = 3;
  private static final int SCHEDULES = 6;

  @TempDir static Path dir;
  private Vertx vertx;
  private FerryReplicas replicas;
  private Sink sink;
  private WebClient client;
  private final List<String> scheduleIds = new ArrayList<>();
  private int next;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    sink = Sink.startBlocking(vertx);
    client = WebClient.create(vertx);
    replicas =
        FerryReplicas.start(
            vertx,
            dir,
            REPLICAS,
            16,
            Duration.ofSeconds(2),
            new JsonObject().put("delivery", new JsonObject().put("instances", 2)));
    for (int s = 0; s < SCHEDULES; s++) {
      HttpResponse<Buffer> r =
          send(
              s % REPLICAS,
              HttpMethod.POST,
              "/v2/schedules/" + sink.url("/tick?s=" + s),
              Map.of("Upstash-Cron", "* * * * *"),
              "tick " + s);
      assertEquals(200, r.statusCode(), r.bodyAsString());
      scheduleIds.add(r.bodyAsJsonObject().getString("scheduleId"));
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (replicas != null) replicas.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  @Order(1)
  void a_message_published_on_any_replica_is_delivered_exactly_once() throws Exception {
    Set<String> acknowledged = new HashSet<>();
    for (int i = 0; i < 150; i++) {
      HttpResponse<Buffer> r =
          send(next(), HttpMethod.POST, "/v2/publish/" + sink.url("/once"), Map.of(), "m" + i);
      assertEquals(201, r.statusCode(), r.bodyAsString());
      acknowledged.add(r.bodyAsJsonObject().getString("messageId"));
    }
    for (int b = 0; b < 10; b++) {
      JsonArray batch = new JsonArray();
      for (int i = 0; i < 15; i++) {
        batch.add(new JsonObject().put("destination", sink.url("/once")).put("body", "b" + i));
      }
      HttpResponse<Buffer> r =
          send(
              next(),
              HttpMethod.POST,
              "/v2/batch",
              Map.of("Content-Type", "application/json"),
              batch.encode());
      assertEquals(200, r.statusCode(), r.bodyAsString());
      r.bodyAsJsonArray().forEach(e -> acknowledged.add(((JsonObject) e).getString("messageId")));
    }
    assertEquals(300, acknowledged.size());

    sink.await("/once", 300, 30_000);
    awaitIdle();
    Map<String, Integer> receipts = new HashMap<>();
    sink.received("/once")
        .forEach(r -> receipts.merge(r.header("Upstash-Message-Id"), 1, Integer::sum));
    assertEquals(acknowledged, receipts.keySet(), "every acknowledged message, nothing else");
    long duplicates = receipts.values().stream().filter(n -> n > 1).count();
    System.out.printf(
        "REPLICAS exactly once: 300 published round robin on %d replicas, %d receipts, %d"
            + " duplicated, delivered per replica %s%n",
        REPLICAS, sink.received("/once").size(), duplicates, deliveredPerReplica());
    assertEquals(0, duplicates, "messages delivered more than once");
  }

  @Test
  @Order(2)
  void a_message_taken_by_one_replica_is_read_and_cancelled_on_another() throws Exception {
    HttpResponse<Buffer> published =
        send(
            0,
            HttpMethod.POST,
            "/v2/publish/" + sink.url("/cancelled"),
            Map.of("Upstash-Delay", "3s"),
            "never");
    assertEquals(201, published.statusCode(), published.bodyAsString());
    String id = published.bodyAsJsonObject().getString("messageId");

    HttpResponse<Buffer> read = send(1, HttpMethod.GET, "/v2/messages/" + id, Map.of(), null);
    assertEquals(200, read.statusCode(), "read on another replica at once: " + read.bodyAsString());
    assertEquals(id, read.bodyAsJsonObject().getString("messageId"));
    HttpResponse<Buffer> cancel = send(2, HttpMethod.DELETE, "/v2/messages/" + id, Map.of(), null);
    assertEquals(200, cancel.statusCode(), "cancel on a third replica: " + cancel.bodyAsString());
    assertEquals(
        404, send(0, HttpMethod.GET, "/v2/messages/" + id, Map.of(), null).statusCode(), "gone");

    // a later message to the same sink: once it arrives, the cancelled one's time has long passed
    send(1, HttpMethod.POST, "/v2/publish/" + sink.url("/after"), Map.of("Upstash-Delay", "4s"), "")
        .statusCode();
    sink.await("/after", 1, 20_000);
    assertEquals(List.of(), sink.received("/cancelled"), "a cancelled message was delivered");
  }

  @Test
  @Order(3)
  void a_queue_of_parallelism_one_has_one_in_flight_across_replicas_in_fifo_order()
      throws Exception {
    sink.on("/serial", r -> new Sink.Reply(200, Map.of(), "", 40));
    HttpResponse<Buffer> upsert =
        send(
            0,
            HttpMethod.POST,
            "/v2/queues",
            Map.of("Content-Type", "application/json"),
            new JsonObject().put("queueName", "serial").put("parallelism", 1).encode());
    assertEquals(200, upsert.statusCode(), upsert.bodyAsString());
    int count = 30;
    for (int i = 0; i < count; i++) {
      HttpResponse<Buffer> r =
          send(
              next(),
              HttpMethod.POST,
              "/v2/enqueue/serial/" + sink.url("/serial"),
              Map.of(),
              "" + i);
      assertEquals(201, r.statusCode(), r.bodyAsString());
    }
    List<Sink.Received> got = sink.await("/serial", count, 30_000);
    List<String> order = got.stream().map(r -> r.body().toString()).toList();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < count; i++) expected.add("" + i);
    System.out.printf(
        "REPLICAS queue parallelism 1: %d enqueued round robin, most in flight at once %d%n",
        count, sink.maxConcurrent("/serial"));
    assertEquals(1, sink.maxConcurrent("/serial"), "attempts in flight at once across replicas");
    assertEquals(expected, order, "FIFO across replicas");
  }

  @Test
  @Order(4)
  void each_cron_tick_fires_once_across_replicas() throws Exception {
    // the schedules were created before the other tests; a minute tick comes within 60 s of that
    Polls.within(Duration.ofSeconds(75))
        .pollInterval(Duration.ofMillis(100))
        .alias("a tick of every schedule")
        .until(() -> sink.received("/tick").size() >= SCHEDULES);
    awaitIdle();
    Map<String, Integer> perScheduleAndMinute = new HashMap<>();
    for (Sink.Received r : sink.received("/tick")) {
      long minute = Math.round(r.atMillis() / 60_000.0);
      perScheduleAndMinute.merge(r.header("Upstash-Schedule-Id") + "@" + minute, 1, Integer::sum);
    }
    System.out.printf("REPLICAS cron: receipts per schedule and tick %s%n", perScheduleAndMinute);
    Set<String> ticked = new HashSet<>();
    perScheduleAndMinute.keySet().forEach(k -> ticked.add(k.substring(0, k.indexOf('@'))));
    assertEquals(Set.copyOf(scheduleIds), ticked, "every schedule ticked");
    perScheduleAndMinute.forEach((tick, n) -> assertEquals(1, n, tick + " fired " + n + " times"));
  }

  /** The replica to send the next request to: round robin. */
  private int next() {
    return next++ % REPLICAS;
  }

  private HttpResponse<Buffer> send(
      int replica, HttpMethod method, String path, Map<String, String> headers, String body)
      throws Exception {
    HttpRequest<Buffer> request =
        client
            .request(method, replicas.replica(replica).port(), "127.0.0.1", path)
            .bearerTokenAuthentication(FerryProcess.TOKEN);
    headers.forEach(request::putHeader);
    return (body == null ? request.send() : request.sendBuffer(Buffer.buffer(body)))
        .await(10, TimeUnit.SECONDS);
  }

  /** Waits until no replica has an attempt in flight: late duplicates would be in by then. */
  private void awaitIdle() {
    Polls.within(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .alias("no attempt in flight on any replica")
        .until(
            () -> {
              for (int i = 0; i < REPLICAS; i++) {
                if (replicas.replica(i).metric("ferry_delivery_in_flight") > 0) return false;
              }
              return true;
            });
  }

  /** {@code ferry_messages_delivered_total} summed over its labels, per replica. */
  private List<Long> deliveredPerReplica() throws Exception {
    List<Long> counts = new ArrayList<>();
    for (int i = 0; i < REPLICAS; i++) {
      FerryProcess replica = replicas.replica(i);
      String text =
          replica
              .client()
              .get(replica.managementPort(), "127.0.0.1", "/metrics")
              .send()
              .await(5, TimeUnit.SECONDS)
              .bodyAsString();
      counts.add(
          text.lines()
              .filter(l -> l.startsWith("ferry_messages_delivered_total"))
              .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
              .sum());
    }
    return counts;
  }
}
