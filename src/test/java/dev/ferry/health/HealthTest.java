package dev.ferry.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.metrics.FerryMetrics;
import dev.ferry.testing.GatewayTest;
import dev.ferry.testing.Polls;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/** Liveness and readiness through their transitions: started, store gone, shutting down. */
class HealthTest extends GatewayTest {

  @Test
  void live_and_ready_after_start_without_a_token() throws Exception {
    HttpResponse<Buffer> live = ferry.get("/health/live");
    assertEquals(200, live.statusCode());
    assertEquals("UP", live.bodyAsJsonObject().getString("status"));

    HttpResponse<Buffer> ready = ferry.get("/health/ready");
    assertEquals(200, ready.statusCode(), ready.bodyAsString());
    assertEquals(
        new JsonObject()
            .put("status", "UP")
            .put("checks", new JsonObject().put("http", "UP").put("store", "UP")),
        ready.bodyAsJsonObject());
  }

  @Test
  void not_ready_once_the_store_cannot_write_while_still_live() throws Exception {
    assertEquals(200, ferry.get("/health/ready").statusCode());
    ferry.ferry().stores().close().await(10, TimeUnit.SECONDS);

    HttpResponse<Buffer> ready = awaitReady(503);
    JsonObject checks = ready.bodyAsJsonObject().getJsonObject("checks");
    assertEquals("DOWN", ready.bodyAsJsonObject().getString("status"));
    assertEquals("UP", checks.getString("http"));
    assertTrue(
        checks.getString("store").startsWith("DOWN: store write failed: store is closed"),
        checks.encode());
    assertEquals(
        200,
        ferry.get("/health/live").statusCode(),
        "the process still answers: not a restart case");
  }

  @Test
  void not_ready_as_soon_as_shutdown_begins() throws Exception {
    Health health = ferry.ferry().health();
    assertTrue(health.readiness().await(5, TimeUnit.SECONDS).ready());

    Future<Void> closing = ferry.ferry().close();
    Health.Readiness during = health.readiness().await(5, TimeUnit.SECONDS);
    assertFalse(during.ready());
    assertFalse(during.checks().get("http").up());
    closing.await(30, TimeUnit.SECONDS);
  }

  @Test
  void a_burst_of_readiness_requests_shares_probe_writes() throws Exception {
    long before = syncedCommits();
    long started = System.nanoTime();
    for (int i = 0; i < 10; i++) {
      assertEquals(200, ferry.get("/health/ready").statusCode());
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    assertTrue(
        syncedCommits() - before <= 2 + seconds,
        "ten readiness requests wrote " + (syncedCommits() - before) + " times");
  }

  private long syncedCommits() {
    return ferry
        .ferry()
        .metrics()
        .registry()
        .get(FerryMetrics.STORE_COMMIT_DURATION)
        .tag("synced", "true")
        .timer()
        .count();
  }

  private HttpResponse<Buffer> awaitReady(int status) throws Exception {
    AtomicReference<HttpResponse<Buffer>> r = new AtomicReference<>();
    try {
      return Polls.within(Duration.ofMillis(Health.PROBE_REUSE_MILLIS + 5_000))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                r.set(ferry.get("/health/ready"));
                return r.get();
              },
              got -> got.statusCode() == status);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "readiness stayed " + r.get().statusCode() + ": " + r.get().bodyAsString());
    }
  }
}
