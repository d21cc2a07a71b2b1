package dev.ferry.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.Polls;
import dev.ferry.testing.Sink;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
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
 * {@code kill -9} (docs/architecture.md#crash-and-overload-checker) while messages exhaust their
 * retries and move to the DLQ, so that some are killed between their last failed attempt and the
 * DLQ write. The move is one atomic store write (message removed, DLQ entry added), so after the
 * restart each message is in the DLQ exactly once — attempted again if the kill came first — and
 * its failure callback was delivered at least once.
 */
@ExtendWith(VertxExtension.class)
class CrashDlqTest {
  @TempDir Path dir;

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void every_failed_message_ends_in_the_dlq_exactly_once_across_a_kill(Vertx vertx)
      throws Exception {
    run(vertx, 1, 100);
  }

  @Test
  @Tag("soak")
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void every_failed_message_ends_in_the_dlq_exactly_once_across_repeated_kills(Vertx vertx)
      throws Exception {
    run(vertx, 5, 600);
  }

  private void run(Vertx vertx, int cycles, int perCycle) throws Exception {
    Sink sink = Sink.startBlocking(vertx);
    // answers 500 after 0-99 ms, so last attempts end (and DLQ moves happen) spread over time
    // around the kill
    Receipts receipts =
        new Receipts()
            .record(
                sink,
                "/dead",
                r ->
                    new Sink.Reply(500, Map.of(), "down", Math.floorMod(r.body().hashCode(), 100)));
    Map<String, Integer> callbacks =
        new HashMap<>(); // source message id → failure callbacks received
    sink.on(
        "/failure-callback",
        r -> {
          synchronized (callbacks) {
            callbacks.merge(new JsonObject(r.body()).getString("sourceMessageId"), 1, Integer::sum);
          }
          return Sink.Reply.status(200);
        });
    ProducerLog producer = new ProducerLog();
    try (FerryProcess ferry =
        FerryProcess.create(vertx, dir, CrashConfig.overrides()).startAndAwaitUp()) {
      for (int cycle = 1; cycle <= cycles; cycle++) {
        long lastAttemptsBefore = receipts.count(r -> r.retried() == 1);
        new LoadProducer(
                vertx,
                ferry.port(),
                producer,
                "c" + cycle,
                tag ->
                    new LoadProducer.Planned(
                        sink.url("/dead"),
                        Map.of(
                            "Upstash-Retries",
                            "1",
                            "Upstash-Retry-Delay",
                            "100",
                            "Upstash-Failure-Callback",
                            sink.url("/failure-callback"))))
            .publishBatches(perCycle / 50, 50);
        Polls.within(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(5))
            .alias("retries getting going")
            .until(
                () -> receipts.count(r -> r.retried() == 1) - lastAttemptsBefore >= perCycle / 3);
        ferry.kill9();
        CrashConfig.report(
            "dlq",
            "cycle "
                + cycle
                + ": killed after "
                + (receipts.count(r -> r.retried() == 1) - lastAttemptsBefore)
                + " of "
                + perCycle
                + " last attempts had been received");
        ferry.startAndAwaitUp();
      }
      CrashConfig.report("dlq", "up again");
      Set<String> ok = producer.okIds();
      assertTrue(ok.size() >= perCycle / 2, "most publishes must be acknowledged: " + ok.size());
      Polls.waitUpTo(
          Duration.ofSeconds(120),
          Duration.ofMillis(200),
          () -> {
            boolean calledBack;
            synchronized (callbacks) {
              calledBack = callbacks.keySet().containsAll(ok);
            }
            return dlqEntriesByMessage(ferry).keySet().containsAll(ok) && calledBack;
          });
      CrashConfig.report("dlq", "all in the DLQ and called back");
      CrashConfig.awaitIdle(ferry, 30_000);
      Map<String, Integer> inDlq = dlqEntriesByMessage(ferry);
      Set<String> missing = new HashSet<>(ok);
      missing.removeAll(inDlq.keySet());
      long twice = inDlq.values().stream().filter(n -> n > 1).count();
      int callbackDuplicates;
      Set<String> notCalledBack = new HashSet<>(ok);
      synchronized (callbacks) {
        notCalledBack.removeAll(callbacks.keySet());
        callbackDuplicates = callbacks.values().stream().mapToInt(n -> n - 1).sum();
      }
      CrashConfig.report(
          "dlq",
          cycles
              + " kill(s): ok="
              + ok.size()
              + " inDlq="
              + inDlq.size()
              + " missingFromDlq="
              + missing.size()
              + " inDlqMoreThanOnce="
              + twice
              + " withoutFailureCallback="
              + notCalledBack.size()
              + " duplicateFailureCallbacks="
              + callbackDuplicates);
      assertTrue(
          missing.isEmpty(), missing.size() + " failed messages are not in the DLQ: " + missing);
      assertEquals(0, twice, "messages in the DLQ more than once: " + inDlq);
      assertEquals(ok.size(), inDlq.size(), "only published messages are in the DLQ");
      assertTrue(notCalledBack.isEmpty(), "failure callbacks never delivered: " + notCalledBack);
      for (String id : ok) {
        assertEquals(
            404,
            ferry
                .client()
                .get(ferry.port(), "127.0.0.1", "/v2/messages/" + id)
                .bearerTokenAuthentication(FerryProcess.TOKEN)
                .send()
                .await(5, TimeUnit.SECONDS)
                .statusCode(),
            id + " is in the DLQ and must no longer be pending");
      }
    }
  }

  /** Every DLQ entry of the tenant, counted per message id (all pages). */
  private static Map<String, Integer> dlqEntriesByMessage(FerryProcess ferry) throws Exception {
    Map<String, Integer> byMessage = new HashMap<>();
    String cursor = null;
    do {
      String uri = "/v2/dlq?count=100" + (cursor == null ? "" : "&cursor=" + cursor);
      HttpResponse<Buffer> r =
          ferry
              .client()
              .get(ferry.port(), "127.0.0.1", uri)
              .bearerTokenAuthentication(FerryProcess.TOKEN)
              .send()
              .await(10, TimeUnit.SECONDS);
      assertEquals(200, r.statusCode(), r.bodyAsString());
      JsonObject page = r.bodyAsJsonObject();
      page.getJsonArray("messages")
          .forEach(m -> byMessage.merge(((JsonObject) m).getString("messageId"), 1, Integer::sum));
      cursor = page.getString("cursor");
    } while (cursor != null && !cursor.isEmpty());
    return byMessage;
  }
}
