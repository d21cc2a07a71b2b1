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
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * RocksDB itself runs out of space: with no disk reserve, the data directory (a real tmpfs) fills
 * until RocksDB's own WAL append fails with ENOSPC, and then only 24 MB come back. RocksDB does not
 * recover by itself with less free than its largest memtable (32 MB), so before Ferry reopened
 * stores in place it refused writes until a restart. The message log is off here, so that nothing
 * else takes the space that came back; {@code LogStoreNoSpaceTest} covers the log's own RocksDB.
 * Needs {@code mount} (root, as on the development machines and CI); without it the test fails, it
 * does not skip.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class NoSpaceRecoveryTest {
  private static final long MB = 1024 * 1024;

  /**
   * Less than RocksDB needs to recover by itself, more than Ferry's least room for a reopen (16
   * MB).
   */
  private static final long RETURNED = 24 * MB;

  @TempDir Path dir;
  private Tmpfs volume;
  private Sink sink;
  private final AtomicBoolean holding = new AtomicBoolean(true);
  private final Set<String> acknowledged = new HashSet<>();

  @BeforeEach
  void mount_a_small_tmpfs(Vertx vertx) throws Exception {
    volume = Tmpfs.mount(dir.resolve("volume"), "160m");
    sink = Sink.startBlocking(vertx);
    // the sink refuses these until the end: to be delivered at all, they must still be in the store
    // after the failure
    sink.on("/held", r -> Sink.Reply.status(holding.get() ? 500 : 200));
  }

  @AfterEach
  void unmount() throws Exception {
    if (sink != null) sink.close().await(5, TimeUnit.SECONDS);
    if (volume != null) volume.close();
  }

  @Test
  void a_store_stuck_after_enospc_is_reopened_in_place_once_space_returns(Vertx vertx)
      throws Exception {
    try (TestFerry ferry = TestFerry.start(vertx, config(volume.path().resolve("data")))) {
      // GIVEN messages acknowledged, then a volume filled until RocksDB's own WAL append fails
      Path returned = fillUntilRocksDbRunsOut(ferry);

      // THEN writes are 503 with Retry-After, readiness fails, and liveness holds: a restart cannot
      // free space
      assertUnavailable(ferry.publish(sink.url("/full"), Map.of(), "small"));
      HttpResponse<Buffer> ready = awaitStatus(ferry, "/health/ready", 503);
      assertTrue(ready.bodyAsString().contains("No space left on device"), ready.bodyAsString());
      assertEquals(200, ferry.get("/health/live").statusCode());

      // WHEN some space returns, less than RocksDB needs to recover by itself
      Files.delete(returned);
      long freed = System.nanoTime();
      assertTrue(
          volume.usableBytes() < 32 * MB,
          volume.usableBytes() + " bytes free: RocksDB would recover alone");

      // THEN the same Ferry takes writes again, and it stayed live throughout
      AtomicReference<HttpResponse<Buffer>> again = new AtomicReference<>();
      Polls.waitUpTo(
          Duration.ofSeconds(30),
          Duration.ofMillis(200),
          () -> {
            again.set(ferry.publish(sink.url("/after"), Map.of(), "after"));
            if (again.get().statusCode() == 201) return true;
            assertEquals(
                200,
                ferry.get("/health/live").statusCode(),
                "not a restart case: the store recovers in place");
            return false;
          });
      acknowledged.add(accepted(again.get()));
      System.out.printf(
          "writes accepted again %d ms after space returned%n",
          (System.nanoTime() - freed) / 1_000_000);
      awaitStatus(ferry, "/health/ready", 200);
      assertEquals(200, ferry.get("/health/live").statusCode());

      // AND once the rest of the space is back, every message acknowledged at any point is
      // delivered
      Files.delete(volume.path().resolve("filler"));
      holding.set(false);
      Set<String> missing = awaitDelivered(acknowledged, 30_000);
      assertTrue(
          missing.isEmpty(), missing.size() + " acknowledged messages never delivered: " + missing);
    }
  }

  @Test
  void a_store_that_cannot_be_reopened_fails_liveness_with_its_reason(Vertx vertx)
      throws Exception {
    Path data = volume.path().resolve("data");
    try (TestFerry ferry = TestFerry.start(vertx, config(data))) {
      // GIVEN a store stuck after ENOSPC whose files are found damaged when it is reopened
      Path returned = fillUntilRocksDbRunsOut(ferry);
      Files.writeString(data.resolve("CURRENT"), "damaged", StandardCharsets.US_ASCII);

      // WHEN some space returns, less than RocksDB needs to recover by itself (which would never
      // read the damaged file)
      Files.delete(returned);
      assertTrue(
          volume.usableBytes() < 32 * MB,
          volume.usableBytes() + " bytes free: RocksDB would recover alone");

      // THEN liveness fails, naming the store and why, so that the orchestrator restarts Ferry;
      // writes stay 503
      HttpResponse<Buffer> live = awaitStatus(ferry, "/health/live", 503);
      JsonObject body = live.bodyAsJsonObject();
      assertEquals("DOWN", body.getString("status"));
      assertTrue(
          body.getJsonObject("checks")
              .getString("store")
              .startsWith("DOWN: the store could not be reopened after a write error: "),
          body.encode());
      assertUnavailable(ferry.publish(sink.url("/full"), Map.of(), "small"));
      assertEquals(503, ferry.get("/health/ready").statusCode());
    }
  }

  private static FerryConfig config(Path dataDir) {
    return TestConfigs.of(dataDir)
        .set("limits.maxMessageBytes", 1024 * 1024)
        .set("limits.maxRequestBytes", 4 * 1024 * 1024)
        // no disk reserve: nothing keeps RocksDB from running into ENOSPC itself
        .set("overload.minFreeDiskBytes", 0)
        .set("overload.retryAfter", "3s")
        .set("logs.enabled", false)
        .build();
  }

  /**
   * Publishes a few messages the sink holds back, sets {@link #RETURNED} bytes aside in a file,
   * fills the rest but 8 MB with another ("filler"), then publishes 256 KiB bodies until one is
   * refused because RocksDB's WAL append failed. Returns the set-aside file.
   */
  private Path fillUntilRocksDbRunsOut(TestFerry ferry) throws Exception {
    Map<String, String> retrying = Map.of("Upstash-Retries", "20", "Upstash-Retry-Delay", "1000");
    for (int i = 0; i < 5; i++)
      acknowledged.add(accepted(ferry.publish(sink.url("/held"), retrying, "held-" + i)));
    Path returned = volume.fill("returned", RETURNED);
    volume.fill("filler", volume.usableBytes() - 8 * MB);
    String body = "x".repeat(256 * 1024);
    for (int i = 0; i < 600; i++) { // past the WAL space RocksDB had preallocated
      HttpResponse<Buffer> r = ferry.publish(sink.url("/filling"), Map.of(), body);
      if (r.statusCode() == 503) {
        assertUnavailable(r);
        assertTrue(r.bodyAsString().contains("No space left on device"), r.bodyAsString());
        takeBackWhatRocksDbFrees();
        return returned;
      }
      acknowledged.add(accepted(r));
    }
    throw new AssertionError("publishes never got a 503 although the disk is full");
  }

  /**
   * A flush or compaction that failed with the WAL deletes its partial files: that space would add
   * to what returns, and RocksDB might then recover by itself before Ferry's reopen is tested.
   * Fills the volume until it has stayed full across two polls.
   */
  private void takeBackWhatRocksDbFrees() throws Exception {
    AtomicInteger files = new AtomicInteger();
    AtomicInteger fullPolls = new AtomicInteger();
    Polls.waitUpTo(
        Duration.ofSeconds(10),
        Duration.ofMillis(250),
        () -> {
          long free = volume.usableBytes();
          if (free < MB) return fullPolls.incrementAndGet() >= 2;
          fullPolls.set(0);
          volume.fill("refilled-" + files.incrementAndGet(), free);
          return false;
        });
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

  private static HttpResponse<Buffer> awaitStatus(TestFerry ferry, String uri, int status)
      throws Exception {
    AtomicReference<HttpResponse<Buffer>> r = new AtomicReference<>();
    Polls.waitUpTo(
        Duration.ofSeconds(30),
        Duration.ofMillis(100),
        () -> {
          r.set(ferry.get(uri));
          return r.get().statusCode() == status;
        });
    assertEquals(status, r.get().statusCode(), r.get().bodyAsString());
    return r.get();
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
