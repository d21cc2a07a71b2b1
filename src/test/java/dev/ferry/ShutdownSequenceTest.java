package dev.ferry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.config.FerryConfig;
import dev.ferry.testing.Messages;
import dev.ferry.testing.Sink;
import dev.ferry.testing.TestConfigs;
import dev.ferry.testing.TestFerry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The steps of a graceful shutdown, in process: readiness fails and API requests are refused with
 * 503 at once; an attempt that finishes within the grace period is recorded; one that outlives it
 * is left pending, not counted as a failure, and delivered again after the restart; and closing
 * takes no longer than the grace period.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShutdownSequenceTest {
  private static final Duration GRACE = Duration.ofSeconds(3);

  @TempDir Path dir;

  @Test
  void readiness_fails_and_api_requests_get_503_with_retry_after_as_soon_as_shutdown_begins(
      Vertx vertx) throws Exception {
    Sink sink = Sink.startBlocking(vertx);
    sink.on("/slow", r -> new Sink.Reply(200, Map.of(), "", 1500));
    try (TestFerry ferry = TestFerry.start(vertx, config())) {
      ferry.publish(sink.url("/slow"), Map.of(), "keeps the shutdown busy for a moment");
      sink.await("/slow", 1, 10_000);
      Future<Void> closing = ferry.ferry().close();
      // the first thing close() does, before any of its asynchronous steps
      assertFalse(ferry.ferry().health().readiness().await(5, TimeUnit.SECONDS).ready());
      closing.await(10, TimeUnit.SECONDS);
    }
    // the gate that answers requests arriving on connections still open during the drain
    try (TestFerry ferry = TestFerry.start(vertx, config())) {
      ferry.ferry().health().accepting(false);
      HttpResponse<Buffer> refused = ferry.publish(sink.url("/x"), Map.of(), "late");
      assertEquals(503, refused.statusCode());
      assertEquals("5", refused.getHeader("Retry-After"));
      assertTrue(refused.bodyAsJsonObject().getString("error").contains("not accepting requests"));
      assertEquals(503, ferry.get("/health/ready").statusCode());
      assertEquals(
          200, ferry.get("/health/live").statusCode(), "the process is alive: no restart needed");
      ferry.ferry().health().accepting(true);
    }
  }

  @Test
  void attempts_finishing_within_the_grace_period_are_recorded_and_later_ones_stay_pending(
      Vertx vertx) throws Exception {
    Sink sink = Sink.startBlocking(vertx);
    AtomicBoolean restarted = new AtomicBoolean();
    sink.on("/medium", r -> new Sink.Reply(200, Map.of(), "", 800));
    sink.on("/glacial", r -> new Sink.Reply(200, Map.of(), "", restarted.get() ? 0 : 60_000));
    TestFerry ferry = TestFerry.start(vertx, config());
    try {
      String medium = publish(ferry, sink.url("/medium"));
      String glacial = publish(ferry, sink.url("/glacial"));
      sink.await("/medium", 1, 10_000);
      sink.await("/glacial", 1, 10_000);

      long start = System.nanoTime();
      ferry.stop();
      long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      System.out.println(
          "close() with one attempt finishing and one outliving a "
              + GRACE
              + " grace period took "
              + tookMillis
              + " ms");
      assertTrue(tookMillis < GRACE.toMillis() + 3000, "close took " + tookMillis + "ms");

      restarted.set(true);
      ferry.startAgain();
      List<Sink.Received> again = sink.await("/glacial", 2, 15_000);
      assertEquals(glacial, again.get(1).header("Upstash-Message-Id"));
      assertEquals(
          "0",
          again.get(1).header("Upstash-Retried"),
          "an abandoned attempt does not use up a retry");
      assertEquals(
          List.of("DELIVERED", "ACTIVE", "CREATED"),
          states(ferry, medium),
          "the attempt that finished during the drain was recorded");
      List<String> glacialStates = awaitState(ferry, glacial, "DELIVERED");
      assertFalse(
          glacialStates.contains("ERROR") || glacialStates.contains("RETRY"),
          glacialStates.toString());
      assertEquals(1, sink.received("/medium").size(), "the recorded delivery is not repeated");
    } finally {
      ferry.close();
    }
  }

  private FerryConfig config() {
    return TestConfigs.of(dir).set("shutdown.gracePeriod", GRACE).build();
  }

  private static String publish(TestFerry ferry, String url) throws Exception {
    return Messages.publish(ferry, url, Map.of(), "body");
  }

  private static List<String> states(List<JsonObject> events) {
    return events.stream().map(e -> e.getString("state")).toList();
  }

  private static List<String> states(TestFerry ferry, String id) throws Exception {
    return states(Messages.events(ferry, id));
  }

  private static List<String> awaitState(TestFerry ferry, String id, String state) {
    return states(Messages.awaitState(ferry, id, state, Duration.ofSeconds(10)));
  }
}
