package dev.ferry.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.config.FerryConfig;
import dev.ferry.delivery.hosts.HostShares;
import dev.ferry.testing.BadDestinations;
import dev.ferry.testing.Polls;
import dev.ferry.testing.Sink;
import dev.ferry.testing.TestConfigs;
import dev.ferry.testing.TestFerry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/architecture.md#isolation-of-destinations: a destination that never answers, with a backlog
 * far larger than delivery's slots, does not slow delivery to a healthy one. The healthy
 * destination's publish→receipt p99 is measured alone and beside the dead backlog (both printed);
 * the bound is a fraction of the dead destination's attempt timeout, so it holds on a slow machine
 * and fails for real without the per-host share (every slot would wait out that timeout).
 */
@ExtendWith(VertxExtension.class)
class DeadDestinationIsolationTest {
  @TempDir Path dir;

  /** The size of one run. */
  private record Scenario(
      int maxInFlight,
      int deadBacklog,
      int healthyMessages,
      long healthyGapMillis,
      Duration deadTimeout) {}

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void a_dead_destination_with_a_large_backlog_does_not_slow_a_healthy_one(Vertx vertx)
      throws Exception {
    run(vertx, new Scenario(40, 400, 100, 20, Duration.ofSeconds(30)));
  }

  @Test
  @Tag("soak")
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void soak_a_dead_destination_with_twenty_thousand_messages_beside_a_healthy_one(Vertx vertx)
      throws Exception {
    run(vertx, new Scenario(1000, 20_000, 3000, 10, Duration.ofMinutes(5)));
  }

  private void run(Vertx vertx, Scenario s) throws Exception {
    // one partition: its slots are the whole plane's, the case where a dead host could take every
    // one of them
    FerryConfig config =
        TestConfigs.of(dir)
            .set("delivery.instances", 1)
            .set("delivery.maxConnectionsPerHost", 64)
            .set("delivery.maxTimeout", "2h")
            .set("delivery.maxInFlight", s.maxInFlight())
            .build();
    int share = new HostShares(s.maxInFlight(), config.isolation().hostSharePercent()).share();
    // attempts beyond the pool size wait for a connection inside the client: the destination sees
    // at most that many
    int connections = Math.min(share, config.delivery().maxConnectionsPerHost());
    Sink sink = Sink.startBlocking(vertx);
    BadDestinations.Server dead = new BadDestinations(vertx).silent();
    try (TestFerry ferry = TestFerry.start(vertx, config)) {
      healthyP99(
          ferry, sink, "/warm-up", s); // JIT and connection pool warm, so the two figures compare
      long alone = healthyP99(ferry, sink, "/alone", s);

      publishBacklog(ferry, dead.url("/dead"), s);
      awaitConnections(
          dead,
          connections); // the dead host holds its share of the slots, waiting out its timeouts
      awaitParked(ferry, s.deadBacklog() - share); // and the rest of its backlog waits outside them

      long beside = healthyP99(ferry, sink, "/beside", s);
      System.out.printf(
          "healthy destination p99 publish->receipt: %d ms alone, %d ms beside a dead destination "
              + "with %d messages (share %d of %d slots, dead attempt timeout %s)%n",
          alone, beside, s.deadBacklog(), share, s.maxInFlight(), s.deadTimeout());

      assertEquals(
          connections,
          dead.connections().size(),
          "the dead host holds no more than its share of the slots");
      long bound = s.deadTimeout().toMillis() / 6;
      assertTrue(
          beside < bound,
          "healthy p99 " + beside + "ms beside the dead backlog, bound " + bound + "ms");
    }
  }

  /**
   * Publishes one message at a time at a steady pace; waits for all; p99 of publish start → arrival
   * at the sink.
   */
  private long healthyP99(TestFerry ferry, Sink sink, String path, Scenario s) throws Exception {
    Map<String, Long> sentAt = new HashMap<>();
    for (int i = 0; i < s.healthyMessages(); i++) {
      long start = System.currentTimeMillis();
      HttpResponse<Buffer> r = ferry.publish(sink.url(path), Map.of(), "h" + i);
      assertEquals(201, r.statusCode(), r.bodyAsString());
      sentAt.put(r.bodyAsJsonObject().getString("messageId"), start);
      long pause = s.healthyGapMillis() - (System.currentTimeMillis() - start);
      if (pause > 0) Thread.sleep(pause); // pacing the load, not waiting for a condition
    }
    List<Sink.Received> got = sink.await(path, s.healthyMessages(), s.deadTimeout().toMillis() / 2);
    List<Long> latencies = new ArrayList<>();
    for (Sink.Received r : got) {
      latencies.add(r.atMillis() - sentAt.get(r.header("Upstash-Message-Id")));
    }
    Collections.sort(latencies);
    return latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1);
  }

  private void publishBacklog(TestFerry ferry, String url, Scenario s) throws Exception {
    int perBatch = 100; // TestFerry's limits.maxBatchEntries
    for (int sent = 0; sent < s.deadBacklog(); sent += perBatch) {
      JsonArray batch = new JsonArray();
      for (int i = 0; i < perBatch && sent + i < s.deadBacklog(); i++) {
        batch.add(
            new JsonObject()
                .put("destination", url)
                .put("body", "d" + (sent + i))
                .put(
                    "headers",
                    new JsonObject()
                        .put("Upstash-Timeout", s.deadTimeout().toSeconds() + "s")
                        .put("Upstash-Retries", "0")));
      }
      HttpResponse<Buffer> r =
          ferry.await(
              () -> ferry.request(HttpMethod.POST, "/v2/batch").sendBuffer(batch.toBuffer()),
              Duration.ofSeconds(30));
      assertEquals(200, r.statusCode(), r.bodyAsString());
    }
  }

  private static void awaitParked(TestFerry ferry, int n) {
    Polls.waitUpTo(Duration.ofSeconds(60), () -> parked(ferry) >= n);
    assertEquals(
        n,
        parked(ferry),
        "messages of the dead host waiting outside the slots (ferry_delivery_parked)");
  }

  private static long parked(TestFerry ferry) {
    return (long) ferry.ferry().metrics().registry().get("ferry_delivery_parked").gauge().value();
  }

  private static void awaitConnections(BadDestinations.Server dead, int n) {
    Polls.waitUpTo(Duration.ofSeconds(30), () -> dead.connections().size() >= n);
    assertEquals(n, dead.connections().size(), "connections the dead destination got");
  }
}
