package dev.ferry.crash;

import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.Polls;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Publishes continuously to a {@link FerryProcess} from several concurrent streams — {@code POST
 * /v2/batch} streams and {@code POST /v2/publish} streams, each sending its next request as soon as
 * the previous one is answered — and writes every outcome to a {@link ProducerLog}. Each message
 * body is a unique tag. A broken connection (the kill) makes every message of that request {@code
 * unknown}. Runs on Vert.x; start and stop from the test thread.
 */
public final class LoadProducer {
  /** Where one message goes and with which headers. */
  public record Planned(String destination, Map<String, String> headers) {}

  private final Vertx vertx;
  private final WebClient client;
  private final int port;
  private final ProducerLog log;
  private final Function<String, Planned> plan;
  private final String tagPrefix;
  private final AtomicLong next = new AtomicLong();
  private final AtomicInteger outstanding = new AtomicInteger();
  private volatile boolean running;

  /**
   * @param plan destination and headers of the message with the given tag
   * @param tagPrefix makes tags unique across producers of one test (e.g. one per kill cycle)
   */
  public LoadProducer(
      Vertx vertx, int port, ProducerLog log, String tagPrefix, Function<String, Planned> plan) {
    this.vertx = vertx;
    this.client =
        WebClient.create(vertx, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(64));
    this.port = port;
    this.log = log;
    this.tagPrefix = tagPrefix;
    this.plan = plan;
  }

  /**
   * Starts {@code batchStreams} streams of batches of {@code batchSize} and {@code publishStreams}
   * single ones.
   */
  public LoadProducer start(int batchStreams, int batchSize, int publishStreams) {
    running = true;
    for (int i = 0; i < batchStreams; i++) vertx.runOnContext(v -> sendBatch(batchSize));
    for (int i = 0; i < publishStreams; i++) vertx.runOnContext(v -> sendPublish());
    return this;
  }

  /**
   * Sends {@code batches} batches of {@code size} one after the other, each awaited: a fixed set of
   * messages.
   */
  public void publishBatches(int batches, int size) {
    for (int b = 0; b < batches; b++) {
      List<String> tags = new ArrayList<>(size);
      JsonArray batch = batchOf(size, tags);
      outstanding.incrementAndGet();
      try {
        recordBatch(tags, request("/v2/batch").sendBuffer(batch.toBuffer()).await());
      } catch (Exception e) {
        tags.forEach(log::unknown);
      } finally {
        outstanding.decrementAndGet();
      }
    }
  }

  /** Acknowledged messages so far. */
  public long acknowledged() {
    return log.count(ProducerLog.Kind.OK);
  }

  /**
   * Stops sending and waits until every request sent has its outcome (at most {@code
   * timeoutMillis}).
   */
  public void stop(long timeoutMillis) throws InterruptedException {
    running = false;
    Polls.waitUpTo(
        Duration.ofMillis(timeoutMillis), Duration.ofMillis(10), () -> outstanding.get() <= 0);
    if (outstanding.get() > 0)
      throw new AssertionError(outstanding.get() + " publish requests never settled");
    client.close();
  }

  private String newTag() {
    return tagPrefix + "-" + next.incrementAndGet();
  }

  private void sendBatch(int size) {
    if (!running) return;
    List<String> tags = new ArrayList<>(size);
    JsonArray batch = batchOf(size, tags);
    outstanding.incrementAndGet();
    request("/v2/batch")
        .sendBuffer(batch.toBuffer())
        .onComplete(
            ar -> {
              try {
                recordBatch(tags, ar.succeeded() ? ar.result() : null);
              } finally {
                outstanding.decrementAndGet();
                after(ar, () -> sendBatch(size));
              }
            });
  }

  private JsonArray batchOf(int size, List<String> tags) {
    JsonArray batch = new JsonArray();
    for (int i = 0; i < size; i++) {
      String tag = newTag();
      Planned p = plan.apply(tag);
      JsonObject entry = new JsonObject().put("destination", p.destination()).put("body", tag);
      if (!p.headers().isEmpty()) entry.put("headers", new JsonObject(Map.copyOf(p.headers())));
      batch.add(entry);
      tags.add(tag);
    }
    return batch;
  }

  /** {@code r} null: no answer. */
  private void recordBatch(List<String> tags, HttpResponse<Buffer> r) {
    if (r == null) {
      tags.forEach(log::unknown);
      return;
    }
    if (r.statusCode() != 200) {
      tags.forEach(t -> log.fail(t, r.statusCode()));
      return;
    }
    JsonArray results = r.bodyAsJsonArray();
    for (int i = 0; i < tags.size(); i++) {
      JsonObject result = results.getJsonObject(i);
      if (result.containsKey("messageId")) {
        log.ok(tags.get(i), result.getString("messageId"));
      } else {
        log.fail(tags.get(i), 200); // an entry refused inside an accepted batch
      }
    }
  }

  private void sendPublish() {
    if (!running) return;
    String tag = newTag();
    Planned p = plan.apply(tag);
    HttpRequest<Buffer> request = request("/v2/publish/" + p.destination());
    p.headers().forEach(request::putHeader);
    outstanding.incrementAndGet();
    request
        .sendBuffer(Buffer.buffer(tag))
        .onComplete(
            ar -> {
              try {
                if (ar.failed()) {
                  log.unknown(tag);
                } else if (ar.result().statusCode() == 201) {
                  log.ok(tag, ar.result().bodyAsJsonObject().getString("messageId"));
                } else {
                  log.fail(tag, ar.result().statusCode());
                }
              } finally {
                outstanding.decrementAndGet();
                after(ar, this::sendPublish);
              }
            });
  }

  private HttpRequest<Buffer> request(String path) {
    return client
        .post(port, "127.0.0.1", path)
        .bearerTokenAuthentication(FerryProcess.TOKEN)
        .putHeader("Content-Type", "application/json")
        .timeout(30_000);
  }

  /**
   * The next request at once after an answer; after a broken connection a pause, not a hot loop of
   * refusals.
   */
  private void after(AsyncResult<?> ar, Runnable next) {
    if (!running) return;
    if (ar.succeeded()) {
      next.run();
    } else {
      vertx.setTimer(50, t -> next.run());
    }
  }
}
