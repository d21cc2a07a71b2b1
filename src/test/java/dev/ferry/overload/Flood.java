package dev.ferry.overload;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many publishers at once, each sending its next publish as soon as the last one is answered, for a
 * fixed time. Keeps the producer log (docs/architecture.md#crash-and-overload-checker): the id of
 * every 2xx, and counts of shed answers (and whether they carried {@code Retry-After}), other
 * statuses and failed requests.
 */
final class Flood {
  /** What the flood saw. */
  record Result(
      Set<String> acknowledged,
      long shed,
      long shedWithoutRetryAfter,
      Map<Integer, Long> otherStatuses,
      long failedRequests,
      long requests) {}

  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private final AtomicLong shed = new AtomicLong();
  private final AtomicLong shedWithoutRetryAfter = new AtomicLong();
  private final Map<Integer, Long> other = new ConcurrentHashMap<>();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();

  /**
   * Runs {@code publishers} concurrent publishers of {@code body} to {@code destination} for {@code
   * millis}. Blocks.
   */
  static Result run(
      Vertx vertx,
      int port,
      String token,
      String destination,
      Buffer body,
      int publishers,
      long millis)
      throws InterruptedException {
    Flood flood = new Flood();
    WebClient client =
        WebClient.create(
            vertx,
            new WebClientOptions().setKeepAlive(true).setConnectTimeout(10_000).setIdleTimeout(60),
            new PoolOptions().setHttp1MaxSize(publishers));
    long until = System.currentTimeMillis() + millis;
    CountDownLatch done = new CountDownLatch(publishers);
    for (int i = 0; i < publishers; i++) {
      flood.next(client, port, token, destination, body, until, done);
    }
    boolean finished = done.await(millis + 120_000, TimeUnit.MILLISECONDS);
    client.close();
    if (!finished)
      throw new AssertionError("publishers still waiting for answers 2 minutes after the flood");
    return new Flood.Result(
        Set.copyOf(flood.acknowledged),
        flood.shed.get(),
        flood.shedWithoutRetryAfter.get(),
        Map.copyOf(flood.other),
        flood.failed.get(),
        flood.requests.get());
  }

  private void next(
      WebClient client,
      int port,
      String token,
      String destination,
      Buffer body,
      long until,
      CountDownLatch done) {
    if (System.currentTimeMillis() >= until) {
      done.countDown();
      return;
    }
    requests.incrementAndGet();
    client
        .post(port, "127.0.0.1", "/v2/publish/" + destination)
        .bearerTokenAuthentication(token)
        .timeout(60_000)
        .sendBuffer(body)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                record(ar.result());
              } else {
                failed.incrementAndGet();
              }
              next(client, port, token, destination, body, until, done);
            });
  }

  private void record(HttpResponse<Buffer> r) {
    int status = r.statusCode();
    if (status == 200 || status == 201) {
      acknowledged.add(r.bodyAsJsonObject().getString("messageId"));
    } else if (status == 503 || status == 429) {
      shed.incrementAndGet();
      if (r.getHeader("Retry-After") == null) shedWithoutRetryAfter.incrementAndGet();
    } else {
      other.merge(status, 1L, Long::sum);
    }
  }
}
