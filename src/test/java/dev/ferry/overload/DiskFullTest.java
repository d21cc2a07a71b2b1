package dev.ferry.overload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.config.FerryConfig;
import dev.ferry.testing.Polls;
import dev.ferry.testing.Sink;
import dev.ferry.testing.TestConfigs;
import dev.ferry.testing.TestFerry;
import dev.ferry.testing.Tmpfs;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk (docs/architecture.md#crash-and-overload-checker): the data directory is a small
 * tmpfs, filled with a file next to the store and with publishes. While it is full every write is
 * 503 + Retry-After and readiness fails; once the file is deleted Ferry takes writes again by
 * itself, and every message acknowledged before, during or after is delivered. Needs {@code mount}
 * (the development machines and CI run as root); without it the test fails, it does not skip.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DiskFullTest {
  private static final long MB = 1024 * 1024;

  /**
   * Larger than RocksDB's swings in free space (its WAL preallocations, about 36 + 18 MB, come and
   * go).
   */
  private static final long RESERVE = 128 * MB;

  @TempDir Path dir;
  private Tmpfs volume;

  @BeforeEach
  void mount_a_small_tmpfs() throws Exception {
    // room for the reserve plus RocksDB's WAL preallocations (1.1 × the largest memtable of each
    // DB) once space returns
    volume = Tmpfs.mount(dir.resolve("volume"), "320m");
  }

  @AfterEach
  void unmount() throws Exception {
    if (volume != null) volume.close();
  }

  @Test
  void a_full_disk_refuses_writes_with_503_and_ferry_recovers_when_space_returns(Vertx vertx)
      throws Exception {
    Sink sink = Sink.startBlocking(vertx);
    FerryConfig config =
        TestConfigs.of(volume.path().resolve("data"))
            .set("limits.maxMessageBytes", 1024 * 1024)
            .set("limits.maxRequestBytes", 4 * 1024 * 1024)
            .set("overload.minFreeDiskBytes", RESERVE)
            .set("overload.retryAfter", "3s")
            .build();
    Set<String> acknowledged = new HashSet<>();
    String body = "x".repeat(256 * 1024);
    try (TestFerry ferry = TestFerry.start(vertx, config)) {
      acknowledged.add(accepted(ferry.publish(sink.url("/before"), Map.of(), "before")));

      // GIVEN a volume with a few MB above the reserve left
      Path filler = volume.fill("filler", volume.usableBytes() - RESERVE - 4 * MB);

      // WHEN publishes of 256 KiB eat the rest: each is either stored (2xx) or refused (503), until
      // refused
      HttpResponse<Buffer> refused = null;
      for (int i = 0;
          i < 400 && refused == null;
          i++) { // RocksDB may have preallocated ~36 MB of WAL
        HttpResponse<Buffer> r = ferry.publish(sink.url("/filling"), Map.of(), body);
        if (r.statusCode() == 503) refused = r;
        else acknowledged.add(accepted(r));
      }
      assertNotNull(refused, "publishes never got a 503 although the disk is full");
      // RocksDB frees preallocated WAL space when it rotates a WAL (tens of MB at once): settle
      // free space far enough inside the reserve that no such swing lifts it above, so every write
      // below is refused whatever RocksDB does
      Path more = volume.fill("filler-2", Math.max(0, volume.usableBytes() - RESERVE / 4));

      // THEN every kind of write is 503 with Retry-After and an error body, and readiness fails
      assertUnavailable(refused);
      assertUnavailable(ferry.publish(sink.url("/full"), Map.of(), "small"));
      assertUnavailable(
          ferry.send(HttpMethod.POST, "/v2/enqueue/q1/" + sink.url("/full"), Map.of(), "queued"));
      assertUnavailable(
          ferry.send(
              HttpMethod.POST,
              "/v2/batch",
              Map.of(),
              new JsonArray()
                  .add(new JsonObject().put("destination", sink.url("/full")).put("body", "b"))
                  .encode()));
      assertUnavailable(
          ferry.send(
              HttpMethod.POST, "/v2/queues", Map.of(), "{\"queueName\":\"q2\",\"parallelism\":1}"));
      assertUnavailable(
          ferry.send(
              HttpMethod.POST,
              "/v2/schedules/" + sink.url("/full"),
              Map.of("Upstash-Cron", "* * * * *"),
              "tick"));
      HttpResponse<Buffer> ready = awaitReadiness(ferry, 503);
      assertTrue(ready.bodyAsString().contains("disk is full"), ready.bodyAsString());
      assertEquals(
          200,
          ferry.get("/health/live").statusCode(),
          "the process keeps running while the disk is full");

      // WHEN space returns
      Files.delete(filler);
      Files.delete(more);

      // THEN writes succeed again without a restart, and readiness recovers
      AtomicReference<HttpResponse<Buffer>> again = new AtomicReference<>();
      Polls.waitUpTo(
          Duration.ofSeconds(20),
          Duration.ofMillis(100),
          () -> {
            again.set(ferry.publish(sink.url("/after"), Map.of(), "after"));
            return again.get().statusCode() == 201;
          });
      acknowledged.add(accepted(again.get()));
      awaitReadiness(ferry, 200);
      acknowledged.add(accepted(ferry.publish(sink.url("/after"), Map.of(), body)));

      // AND every message acknowledged at any point is delivered
      Set<String> missing = awaitDelivered(sink, acknowledged, 30_000);
      assertTrue(
          missing.isEmpty(), missing.size() + " acknowledged messages never delivered: " + missing);
      System.out.printf(
          "disk full: %d acknowledged messages delivered, 0 lost%n", acknowledged.size());
    } finally {
      sink.close().await(5, TimeUnit.SECONDS);
    }
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

  private static HttpResponse<Buffer> awaitReadiness(TestFerry ferry, int status) throws Exception {
    AtomicReference<HttpResponse<Buffer>> r = new AtomicReference<>();
    Polls.waitUpTo(
        Duration.ofSeconds(15),
        Duration.ofMillis(100),
        () -> {
          r.set(ferry.get("/health/ready"));
          return r.get().statusCode() == status;
        });
    assertEquals(status, r.get().statusCode(), r.get().bodyAsString());
    return r.get();
  }

  private static Set<String> awaitDelivered(Sink sink, Set<String> ids, long timeoutMillis)
      throws Exception {
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
