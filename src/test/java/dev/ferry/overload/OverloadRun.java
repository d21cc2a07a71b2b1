package dev.ferry.overload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.Polls;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Overload on one node (docs/architecture.md#crash-and-overload-checker): Ferry in a JVM with a
 * small heap is flooded with more concurrent publishes than it can take, in rounds; every round
 * must shed (503/429 with Retry-After), never 5xx otherwise, never die or run out of memory, serve
 * normally soon after the flood stops, and deliver every message it acknowledged. Prints the
 * figures.
 */
final class OverloadRun {
  private static final Pattern HEAP =
      Pattern.compile("(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} ([0-9.eE+]+)$");

  private OverloadRun() {}

  /**
   * @param maxFailedShare share of requests that may end without an answer (client timeout after 60
   *     s, reset); they are the "unknown" outcomes of the checker and never count as acknowledged
   */
  static void run(
      Vertx vertx,
      Path dir,
      String heap,
      int publishers,
      int bodyBytes,
      long floodMillis,
      int rounds,
      double maxFailedShare)
      throws Exception {
    IdSink sink = IdSink.start(vertx);
    List<String> jvm = List.of("-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError");
    try (FerryProcess ferry =
        FerryProcess.create(vertx, dir, new JsonObject(), jvm).startAndAwaitUp()) {
      WebClient client = ferry.client();
      Buffer body = Buffer.buffer("x".repeat(bodyBytes));
      Set<String> acknowledged = new HashSet<>();
      long shed = 0;
      AtomicLong heapPeak = new AtomicLong();
      for (int round = 1; round <= rounds; round++) {
        long probe =
            vertx.setPeriodic(
                250,
                t ->
                    client
                        .get(ferry.managementPort(), "127.0.0.1", "/metrics")
                        .send()
                        .onSuccess(
                            r -> heapPeak.accumulateAndGet(heapUsed(r.bodyAsString()), Math::max)));
        Flood.Result flood =
            Flood.run(
                vertx,
                ferry.port(),
                FerryProcess.TOKEN,
                sink.url("/flood"),
                body,
                publishers,
                floodMillis);
        vertx.cancelTimer(probe);
        assertTrue(ferry.isAlive(), "Ferry died under the flood:\n" + ferry.logTail(40));
        long stopped = System.currentTimeMillis();
        long recovered = awaitServing(client, ferry, sink) - stopped;

        System.out.printf(
            "overload round %d: %d publishers x %d B for %d ms: %d requests, %d acknowledged, "
                + "%d shed (%d without Retry-After), other statuses %s, %d failed requests; heap peak %.1f MB "
                + "(-Xmx%s); serving again %d ms after the flood%n",
            round,
            publishers,
            bodyBytes,
            floodMillis,
            flood.requests(),
            flood.acknowledged().size(),
            flood.shed(),
            flood.shedWithoutRetryAfter(),
            flood.otherStatuses(),
            flood.failedRequests(),
            heapPeak.get() / 1e6,
            heap,
            recovered);
        assertTrue(flood.shed() > 0, "nothing was shed: the flood did not overload Ferry");
        assertEquals(0, flood.shedWithoutRetryAfter(), "every shed answer says when to retry");
        assertTrue(
            flood.otherStatuses().isEmpty(), "only 2xx and 503/429: " + flood.otherStatuses());
        assertTrue(
            flood.failedRequests() <= maxFailedShare * flood.requests(),
            flood.failedRequests() + " of " + flood.requests() + " requests got no answer");
        assertTrue(recovered < 60_000, "serving again only after " + recovered + " ms");
        acknowledged.addAll(flood.acknowledged());
        shed += flood.shed();
      }

      // the backlog drains at the machine's pace: fail only when delivery stops making progress for
      // a minute
      long drainStarted = System.currentTimeMillis();
      long[] lastProgress = {drainStarted};
      Set<String> missing = new HashSet<>(acknowledged);
      Polls.every(Duration.ofMillis(200))
          .until(
              () -> {
                int before = missing.size();
                missing.removeAll(sink.ids());
                if (missing.size() < before) lastProgress[0] = System.currentTimeMillis();
                return missing.isEmpty()
                    || System.currentTimeMillis() - lastProgress[0] >= 60_000
                    || !ferry.isAlive();
              });
      System.out.printf(
          "overload: %d acknowledged, %d shed, %d delivered, %d lost; heap peak %.1f MB; backlog "
              + "drained %d ms after the last flood%n",
          acknowledged.size(),
          shed,
          acknowledged.size() - missing.size(),
          missing.size(),
          heapPeak.get() / 1e6,
          System.currentTimeMillis() - drainStarted);
      assertTrue(
          missing.isEmpty(),
          missing.size()
              + " acknowledged messages were never delivered (Ferry "
              + (ferry.isAlive() ? "running" : "dead")
              + "):\n"
              + ferry.logTail(30));
      assertTrue(ferry.isAlive(), "Ferry died:\n" + ferry.logTail(40));
      assertFalse(
          ferry.logText().contains("OutOfMemoryError"),
          "Ferry ran out of memory:\n" + ferry.logTail(40));
    } finally {
      sink.close();
    }
  }

  /**
   * Polls a small publish until it is acknowledged (and readiness is up); returns when (epoch
   * millis).
   */
  private static long awaitServing(WebClient client, FerryProcess ferry, IdSink sink)
      throws Exception {
    try {
      Polls.within(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                try {
                  return client
                          .post(ferry.port(), "127.0.0.1", "/v2/publish/" + sink.url("/probe"))
                          .bearerTokenAuthentication(FerryProcess.TOKEN)
                          .timeout(5_000)
                          .sendBuffer(Buffer.buffer("probe"))
                          .await(10, TimeUnit.SECONDS)
                          .statusCode()
                      == 201;
                } catch (Exception busy) {
                  return false; // not yet
                }
              });
      return System.currentTimeMillis();
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "Ferry did not serve again within 90 s after the flood:\n" + ferry.logTail(40));
    }
  }

  static long heapUsed(String metrics) {
    Matcher m = HEAP.matcher(metrics);
    double sum = 0;
    while (m.find()) sum += Double.parseDouble(m.group(1));
    return (long) sum;
  }
}
