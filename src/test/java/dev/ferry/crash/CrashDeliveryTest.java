package dev.ferry.crash;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.Polls;
import dev.ferry.testing.Sink;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} (docs/architecture.md#crash-and-overload-checker) while attempts are in flight —
 * to a destination that answers only after {@value #SLOW_MILLIS} ms (so attempts are certainly in
 * flight at the kill), to one that answers 500 to the first attempt and 200 to the retry (small
 * {@code Upstash-Retry-Delay}, so retries are pending at the kill) and to a fast one. After the
 * restart everything acknowledged is delivered, each message always under the same {@code
 * Upstash-Message-Id}, and duplicates stay within the in-flight bound.
 */
@ExtendWith(VertxExtension.class)
class CrashDeliveryTest {
  private static final long SLOW_MILLIS = 4_000;

  @TempDir Path dir;

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void acknowledged_messages_survive_a_kill_during_delivery_to_failing_and_slow_destinations(
      Vertx vertx) throws Exception {
    run(vertx, 1, 300);
  }

  @Test
  @Tag("soak")
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void acknowledged_messages_survive_repeated_kills_during_delivery(Vertx vertx) throws Exception {
    run(vertx, 5, 1_000);
  }

  private void run(Vertx vertx, int cycles, int perCycle) throws Exception {
    Sink sink = Sink.startBlocking(vertx);
    Sink slowSink =
        Sink.startBlocking(
            vertx); // a host of its own: its held connections do not queue the others
    Receipts receipts =
        new Receipts()
            .record(sink, "/fast", r -> Sink.Reply.status(200))
            .record(
                sink,
                "/flaky",
                r -> Sink.Reply.status("0".equals(r.header("Upstash-Retried")) ? 500 : 200))
            .record(slowSink, "/slow", r -> new Sink.Reply(200, Map.of(), "", SLOW_MILLIS));
    ProducerLog producer = new ProducerLog();
    Map<String, Long> killedAt = new HashMap<>(); // cycle → time of the kill
    try (FerryProcess ferry =
        FerryProcess.create(vertx, dir, CrashConfig.overrides()).startAndAwaitUp()) {
      for (int cycle = 1; cycle <= cycles; cycle++) {
        long slowBefore = receipts.count(r -> r.path().equals("/slow"));
        long flakyBefore = receipts.count(r -> r.path().equals("/flaky") && r.retried() == 0);
        int[] n = {0};
        new LoadProducer(
                vertx,
                ferry.port(),
                producer,
                "c" + cycle,
                tag ->
                    switch (n[0]++ % 5) {
                      case 0 -> new LoadProducer.Planned(slowSink.url("/slow"), Map.of());
                      case 1, 2 ->
                          new LoadProducer.Planned(
                              sink.url("/flaky"), Map.of("Upstash-Retry-Delay", "200"));
                      default -> new LoadProducer.Planned(sink.url("/fast"), Map.of());
                    })
            .publishBatches(perCycle / 50, 50);
        // kill while slow attempts are certainly unanswered (one of this cycle arrived less than
        // 2.5 s ago, and they are answered after 4 s) and first attempts of flaky messages have
        // failed, so retries are pending or running
        Polls.within(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(5))
            .alias("delivery getting going")
            .until(
                () ->
                    receipts.count(
                                r ->
                                    r.path().equals("/slow")
                                        && System.currentTimeMillis() - r.atMillis() < 2_500)
                            > 0
                        && receipts.count(r -> r.path().equals("/slow")) > slowBefore
                        && receipts.count(r -> r.path().equals("/flaky") && r.retried() == 0)
                                - flakyBefore
                            >= perCycle / 10);
        double inFlight = ferry.metric("ferry_delivery_in_flight");
        ferry.kill9();
        killedAt.put("c" + cycle, System.currentTimeMillis());
        CrashConfig.report(
            "delivery",
            "cycle "
                + cycle
                + ": killed with in-flight gauge "
                + inFlight
                + " just before the kill, "
                + receipts.all().size()
                + " receipts so far");
        ferry.startAndAwaitUp();
      }
      CrashChecker.awaitDelivered(producer, receipts, 120_000);
      CrashConfig.awaitIdle(ferry, 30_000);
      CrashChecker.Verdict v = CrashChecker.check(producer, receipts);
      long lastKill = killedAt.values().stream().mapToLong(Long::longValue).max().orElseThrow();
      Set<String> redelivered = redeliveredAcrossAKill(receipts, lastKill);
      CrashConfig.report(
          "delivery",
          cycles
              + " kill(s): "
              + v.summary()
              + ", "
              + redelivered.size()
              + " messages received both before and after the last kill (duplicate bound "
              + cycles
              + " x "
              + CrashConfig.IN_FLIGHT_BOUND
              + ", the configured in-flight cap)");
      assertTrue(
          v.ok() > 0,
          v.summary()); // what counts is that each acknowledged one arrives, checked next
      assertTrue(
          v.lost().isEmpty(),
          v.lost().size() + " acknowledged messages never delivered: " + v.lost());
      assertTrue(v.unexpected().isEmpty(), "delivered but never published: " + v.unexpected());
      assertTrue(
          v.tagsWithSeveralIds().isEmpty(),
          "a redelivery changed the message id: " + v.tagsWithSeveralIds());
      assertTrue(v.duplicates() <= (long) cycles * CrashConfig.IN_FLIGHT_BOUND, v.summary());
      assertTrue(
          !redelivered.isEmpty(),
          "the slow attempts unanswered at the kill must be attempted again");
    }
  }

  /** Messages with a receipt before {@code killedAt} and another after it. */
  private static Set<String> redeliveredAcrossAKill(Receipts receipts, long killedAt) {
    Set<String> before = new HashSet<>();
    Set<String> both = new HashSet<>();
    receipts
        .all()
        .forEach(
            r -> {
              if (r.atMillis() < killedAt) before.add(r.messageId());
            });
    receipts
        .all()
        .forEach(
            r -> {
              if (r.atMillis() > killedAt && before.contains(r.messageId()))
                both.add(r.messageId());
            });
    return both;
  }
}
