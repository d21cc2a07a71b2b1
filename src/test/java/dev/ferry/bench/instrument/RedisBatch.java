package dev.ferry.bench.instrument;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Batch publish onto Redis, bare: parses the same {@code /v2/batch} body as a {@code JsonArray},
 * and sends one {@code HSET} per entry (key {@link #KEY}, field a sequence number, value the body)
 * as one pipelined batch per request over a pooled client with Ferry's pool settings (RedisLink),
 * then answers 200 once Redis acknowledged every write. With {@code appendfsync always}, Redis
 * answers a pipeline only after its AOF write is fsynced, so this is what a durable Redis write of
 * the bodies costs; no ids, no metadata, no indexes, no logic.
 */
final class RedisBatch extends VerticleBase {
  /** The one hash every body goes to. */
  static final String KEY = "instrument:bodies";

  private static final AtomicLong SEQUENCE = new AtomicLong();
  private final int port;
  private final String endpoint;
  private Redis redis;

  RedisBatch(int port, String endpoint) {
    this.port = port;
    this.endpoint = endpoint;
  }

  /** The client options Ferry's store uses (its pool size and waiting limits). */
  static RedisOptions options(String endpoint) {
    return new RedisOptions()
        .setConnectionString(endpoint)
        .setMaxPoolSize(16)
        .setMaxPoolWaiting(100_000)
        .setMaxWaitingHandlers(100_000);
  }

  @Override
  public Future<?> start() {
    redis = Redis.createClient(vertx, options(endpoint));
    return vertx
        .createHttpServer(HttpInstruments.serverOptions(port))
        .requestHandler(this::handle)
        .listen();
  }

  @Override
  public Future<?> stop() {
    redis.close();
    return Future.succeededFuture();
  }

  private void handle(HttpServerRequest request) {
    request
        .body()
        .onSuccess(
            body -> {
              List<Request> writes;
              try {
                JsonArray entries = new JsonArray(body);
                writes = new ArrayList<>(entries.size());
                for (int i = 0; i < entries.size(); i++) {
                  byte[] value =
                      entries
                          .getJsonObject(i)
                          .getString("body", "")
                          .getBytes(StandardCharsets.UTF_8);
                  writes.add(
                      Request.cmd(Command.HSET)
                          .arg(KEY)
                          .arg(SEQUENCE.incrementAndGet())
                          .arg(value));
                }
              } catch (RuntimeException e) {
                request
                    .response()
                    .setStatusCode(400)
                    .end(new JsonObject().put("error", e.toString()).encode());
                return;
              }
              redis
                  .batch(writes)
                  .onSuccess(
                      answers ->
                          request
                              .response()
                              .setStatusCode(200)
                              .putHeader("Content-Type", "application/json")
                              .end("{\"stored\":" + answers.size() + "}"))
                  .onFailure(
                      e ->
                          request
                              .response()
                              .setStatusCode(500)
                              .end(new JsonObject().put("error", e.toString()).encode()));
            });
  }
}
