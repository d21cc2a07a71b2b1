package dev.ferry.crash;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.Polls;
import dev.ferry.testing.Sink;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} (docs/architecture.md#crash-and-overload-checker) while many concurrent {@code
 * /v2/batch} and {@code /v2/publish} requests are being answered; restart on the same data
 * directory; every message that got a 2xx is delivered, nothing unexpected arrives, and duplicates
 * stay within what can be in flight at the kills.
 */
@ExtendWith(VertxExtension.class)
class CrashIngestTest {
  @TempDir Path dir;

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void acknowledged_messages_survive_a_kill_during_batch_ingest(Vertx vertx) throws Exception {
    run(vertx, 1, 3_000);
  }

  @Test
  @Tag("soak")
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void acknowledged_messages_survive_repeated_kills_during_batch_ingest(Vertx vertx)
      throws Exception {
    run(vertx, 8, 20_000);
  }

  /**
   * {@code cycles} times: load, wait for {@code acksPerCycle} more 2xx's, kill -9 under load,
   * restart.
   */
  private void run(Vertx vertx, int cycles, int acksPerCycle) throws Exception {
    Sink sink = Sink.startBlocking(vertx);
    Receipts receipts = new Receipts().record(sink, "/hook", r -> Sink.Reply.status(200));
    ProducerLog producer = new ProducerLog();
    try (FerryProcess ferry =
        FerryProcess.create(vertx, dir, CrashConfig.overrides()).startAndAwaitUp()) {
      for (int cycle = 1; cycle <= cycles; cycle++) {
        LoadProducer load =
            new LoadProducer(
                    vertx,
                    ferry.port(),
                    producer,
                    "c" + cycle,
                    tag -> new LoadProducer.Planned(sink.url("/hook"), Map.of()))
                .start(6, 50, 4);
        long target = producer.count(ProducerLog.Kind.OK) + acksPerCycle;
        Polls.within(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(5))
            .untilAsserted(
                () ->
                    assertTrue(
                        producer.count(ProducerLog.Kind.OK) >= target,
                        "load too slow: " + producer.count(ProducerLog.Kind.OK)));
        double inFlight = ferry.metric("ferry_delivery_in_flight");
        ferry.kill9(); // the producer is still sending: requests are cut off mid-flight
        load.stop(40_000);
        CrashConfig.report(
            "ingest",
            "cycle "
                + cycle
                + ": killed with "
                + producer.count(ProducerLog.Kind.OK)
                + " acknowledged, "
                + producer.count(ProducerLog.Kind.UNKNOWN)
                + " unanswered so far, in-flight gauge "
                + inFlight
                + " just before the kill");
        ferry.startAndAwaitUp();
      }
      CrashChecker.Verdict v = CrashChecker.awaitDelivered(producer, receipts, 120_000);
      CrashConfig.awaitIdle(ferry, 30_000);
      v = CrashChecker.check(producer, receipts);
      CrashConfig.report(
          "ingest",
          cycles
              + " kill(s): "
              + v.summary()
              + " (duplicate bound "
              + cycles
              + " x "
              + CrashConfig.IN_FLIGHT_BOUND
              + ", the configured in-flight cap)");
      assertTrue(
          v.lost().isEmpty(),
          v.lost().size()
              + " acknowledged messages never delivered, e.g. "
              + v.lost().stream().limit(5).toList());
      assertTrue(v.unexpected().isEmpty(), "delivered but never published: " + v.unexpected());
      assertTrue(
          v.tagsWithSeveralIds().isEmpty(),
          "published once, delivered under several ids: " + v.tagsWithSeveralIds());
      assertTrue(v.duplicates() <= (long) cycles * CrashConfig.IN_FLIGHT_BOUND, v.summary());
      assertTrue(
          v.ok() >= (long) cycles * acksPerCycle,
          v.summary()); // refusals (fail) are allowed, e.g. shedding
    }
  }
}
