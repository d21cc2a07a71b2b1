package dev.ferry.overload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.config.FerryConfig;
import dev.ferry.testing.Polls;
import dev.ferry.testing.RedisServer;
import dev.ferry.testing.Sink;
import dev.ferry.testing.TestConfigs;
import dev.ferry.testing.TestFerry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One Ferry on the Redis store while its redis-server (AOF {@code always}) is killed with -9 and
 * started again: meanwhile the API answers 503 with {@code Retry-After} (never 500), readiness
 * fails and liveness holds; afterwards the same Ferry takes writes again without a restart, and
 * every message acknowledged before, during or after is delivered.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RedisDownTest {
  private static final Duration OUTAGE = Duration.ofSeconds(5);

  @TempDir Path dataDir;
  private RedisServer redis;
  private Sink sink;
  private final AtomicBoolean holding = new AtomicBoolean(true);
  private final Set<String> acknowledged = new HashSet<>();

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    redis = RedisServer.start();
    sink = Sink.startBlocking(vertx);
    // refused until the end: to be delivered at all, they must still be in Redis after the outage
    sink.on("/held", r -> Sink.Reply.status(holding.get() ? 500 : 200));
  }

  @AfterEach
  void stop() throws Exception {
    if (sink != null) sink.close().await(5, TimeUnit.SECONDS);
    if (redis != null) redis.close();
  }

  @Test
  void while_redis_is_down_the_api_answers_503_and_afterwards_nothing_acknowledged_is_lost(
      Vertx vertx) throws Exception {
    try (TestFerry ferry = TestFerry.start(vertx, config())) {
      // GIVEN messages acknowledged: some the sink refuses for now, some delayed past the outage
      Map<String, String> retrying = Map.of("Upstash-Retries", "20", "Upstash-Retry-Delay", "500");
      String held = accepted(ferry.publish(sink.url("/held"), retrying, "held"));
      acknowledged.add(held);
      for (int i = 0; i < 5; i++) {
        acknowledged.add(accepted(ferry.publish(sink.url("/held"), retrying, "held-" + i)));
        acknowledged.add(
            accepted(ferry.publish(sink.url("/later"), Map.of("Upstash-Delay", "2s"), "later")));
      }
      awaitStatus(ferry, "/health/ready", 200);

      // WHEN Redis dies
      redis.kill();

      // THEN writes and reads answer 503 with Retry-After (a publish may still squeeze in: kept)
      AtomicReference<HttpResponse<Buffer>> refused = new AtomicReference<>();
      Polls.waitUpTo(
          Duration.ofSeconds(15),
          Duration.ofMillis(50),
          () -> {
            HttpResponse<Buffer> r = ferry.publish(sink.url("/during"), Map.of(), "during");
            assertNotEquals(500, r.statusCode(), r.bodyAsString());
            if (r.statusCode() == 201) acknowledged.add(accepted(r));
            refused.set(r);
            return r.statusCode() == 503;
          });
      assertUnavailable(refused.get());
      assertUnavailable(ferry.send(HttpMethod.GET, "/v2/messages/" + held, Map.of(), null));
      assertUnavailable(ferry.send(HttpMethod.GET, "/v2/schedules", Map.of(), null));
      awaitStatus(ferry, "/health/ready", 503);
      // and so it stays for an outage of OUTAGE (the delayed messages fall due meanwhile): ready
      // fails, live holds, every publish is refused as unavailable
      long downUntil = System.nanoTime() + OUTAGE.toNanos();
      Polls.waitUpTo(
          OUTAGE.plusSeconds(10),
          Duration.ofMillis(250),
          () -> {
            assertEquals(503, ferry.getManagement("/health/ready").statusCode());
            assertEquals(
                200, ferry.getManagement("/health/live").statusCode(), "a restart would not help");
            assertUnavailable(ferry.publish(sink.url("/during"), Map.of(), "during"));
            return System.nanoTime() > downUntil;
          });

      // WHEN it is back on the same port and data (its AOF holds what was acknowledged)
      redis.restart();

      // THEN the same Ferry is ready and takes writes again
      awaitStatus(ferry, "/health/ready", 200);
      AtomicReference<HttpResponse<Buffer>> again = new AtomicReference<>();
      Polls.waitUpTo(
          Duration.ofSeconds(15),
          Duration.ofMillis(100),
          () -> {
            again.set(ferry.publish(sink.url("/after"), Map.of(), "after"));
            assertNotEquals(500, again.get().statusCode(), again.get().bodyAsString());
            return again.get().statusCode() == 201;
          });
      acknowledged.add(accepted(again.get()));
      assertEquals(
          200, ferry.send(HttpMethod.GET, "/v2/messages/" + held, Map.of(), null).statusCode());

      // AND every message acknowledged at any point is delivered
      holding.set(false);
      Set<String> missing = awaitDelivered(acknowledged, 30_000);
      assertTrue(
          missing.isEmpty(), missing.size() + " acknowledged messages never delivered: " + missing);
    }
  }

  private FerryConfig config() {
    return TestConfigs.of(dataDir)
        .set("storage.kind", "redis")
        .set("storage.redis.endpoints", List.of(redis.url()))
        .set("overload.retryAfter", "3s")
        .build();
  }

  private static String accepted(HttpResponse<Buffer> r) {
    assertTrue(
        r.statusCode() == 200 || r.statusCode() == 201, r.statusCode() + " " + r.bodyAsString());
    return r.bodyAsJsonObject().getString("messageId");
  }

  private static void assertUnavailable(HttpResponse<Buffer> r) {
    assertEquals(503, r.statusCode(), r.bodyAsString());
    assertEquals("3", r.getHeader("Retry-After"));
    assertNotNull(r.bodyAsJsonObject().getString("error"), r.bodyAsString());
  }

  private static void awaitStatus(TestFerry ferry, String uri, int status) throws Exception {
    AtomicReference<HttpResponse<Buffer>> r = new AtomicReference<>();
    Polls.waitUpTo(
        Duration.ofSeconds(30),
        Duration.ofMillis(100),
        () -> {
          r.set(ferry.getManagement(uri));
          return r.get().statusCode() == status;
        });
    assertEquals(status, r.get().statusCode(), r.get().bodyAsString());
  }

  private Set<String> awaitDelivered(Set<String> ids, long timeoutMillis) throws Exception {
    Set<String> missing = new HashSet<>(ids);
    Polls.waitUpTo(
        Duration.ofMillis(timeoutMillis),
        Duration.ofMillis(100),
        () -> {
          sink.received().forEach(r -> missing.remove(r.header("Upstash-Message-Id")));
          return missing.isEmpty();
        });
    return missing;
  }
}
