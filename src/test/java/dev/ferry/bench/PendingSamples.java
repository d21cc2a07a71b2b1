package dev.ferry.bench;

import dev.ferry.tools.Percentiles;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The near-due sample messages of the pending workload: published in batches of 100 on one
 * connection, then each one's {@code notBefore} read back from Ferry ({@code GET
 * /v2/messages/{id}}), so lateness is measured from Ferry's own due time and the publish request's
 * transit (tens of ms for the first batches after a 1M load) cannot enter it. Each sample also
 * forwards {@code X-Due-At} = send time + its delay, the upper bound a publisher without the lookup
 * gets. These calls use the JDK's client from the orchestrator's main thread: through the
 * orchestrator's Vert.x client, a response Ferry had sent within a millisecond (its access log) was
 * now and then not seen for 5–30 s, long enough for the samples to fire before they were looked up.
 *
 * @param dueAt message id → notBefore (Unix ms)
 * @param medianMillis median time one sample batch took to publish
 * @param slowestMillis the slowest sample batch
 */
record PendingSamples(Map<String, Long> dueAt, double medianMillis, double slowestMillis) {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  static PendingSamples publish(
      Lab lab, Lab.Server ferry, Lab.Server sink, long minDelayMs, long maxDelayMs) {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    Map<String, Long> dueAt = new HashMap<>();
    int requests =
        (lab.options.sample() + PublishWorkloads.BATCH_ENTRIES - 1)
            / PublishWorkloads.BATCH_ENTRIES;
    double[] took = new double[requests];
    for (int r = 0; r < requests; r++) {
      long now = System.currentTimeMillis();
      String body =
          Bodies.batch(
                  sink.url("/sample"),
                  PublishWorkloads.BATCH_ENTRIES,
                  i -> {
                    long delay = random.nextLong(minDelayMs, maxDelayMs);
                    return new JsonObject()
                        .put("Upstash-Delay", delay + "ms")
                        .put("Upstash-Forward-X-Due-At", String.valueOf(now + delay));
                  })
              .toString();
      long started = System.nanoTime();
      HttpResponse<String> published =
          send(
              lab,
              http,
              HttpRequest.newBuilder(uri(ferry, "/v2/batch"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body)));
      took[r] = (System.nanoTime() - started) / 1e6;
      if (published.statusCode() != 200) {
        throw new IllegalStateException(
            "sample publish answered " + published.statusCode() + ": " + published.body());
      }
      for (Object entry : new JsonArray(published.body())) {
        dueAt.put(((JsonObject) entry).getString("messageId"), null);
      }
    }
    for (String id : List.copyOf(dueAt.keySet())) {
      HttpResponse<String> message =
          send(lab, http, HttpRequest.newBuilder(uri(ferry, "/v2/messages/" + id)).GET());
      if (message.statusCode() != 200) {
        throw new IllegalStateException(
            "GET /v2/messages/" + id + " answered " + message.statusCode());
      }
      dueAt.put(id, new JsonObject(message.body()).getLong("notBefore"));
    }
    return new PendingSamples(dueAt, Percentiles.median(took), Arrays.stream(took).max().orElse(0));
  }

  /**
   * One call with the bench token; one that gets no answer within 5 s is reported and asked again,
   * twice at most.
   */
  private static HttpResponse<String> send(Lab lab, HttpClient http, HttpRequest.Builder request) {
    HttpRequest built =
        request.timeout(TIMEOUT).header("Authorization", "Bearer " + Lab.TOKEN).build();
    for (int attempt = 1; ; attempt++) {
      try {
        return http.send(built, HttpResponse.BodyHandlers.ofString());
      } catch (HttpTimeoutException e) {
        if (attempt == 3)
          throw new IllegalStateException(built.method() + " " + built.uri() + ": no answer", e);
        lab.progress(
            "no answer to " + built.method() + " " + built.uri() + " within 5 s; asking again");
      } catch (IOException e) {
        throw new IllegalStateException(built.method() + " " + built.uri() + " failed: " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  private static URI uri(Lab.Server ferry, String path) {
    return URI.create("http://" + Control.HOST + ":" + ferry.port() + path);
  }
}
