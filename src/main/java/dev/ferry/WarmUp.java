package dev.ferry;

import dev.ferry.config.FerryConfig;
import dev.ferry.ingest.Ids;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warms the JIT before Ferry opens its API: a throwaway Ferry over a temporary embedded store, on
 * loopback ports, publishes to a loopback destination and delivers, for a while, then stops and its
 * directory is deleted. Compiled code belongs to the JVM, not to the instance, so the real Ferry
 * starts with its publish and delivery paths compiled instead of building a backlog of seconds
 * while the compiler catches up (docs/operations.md#warming-up). Nothing of it reaches the real
 * store, its logs or its metrics.
 */
final class WarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);

  /** Publishes in flight at once: enough to keep both stages busy on a small machine. */
  private static final int CONCURRENCY = 32;

  /** Published but not yet delivered, past which publishing waits, so that delivery warms too. */
  private static final int MAX_UNDELIVERED = 512;

  private final Vertx vertx;
  private final FerryConfig config;
  private final Duration length;

  WarmUp(Vertx vertx, FerryConfig config, Duration length) {
    this.vertx = vertx;
    this.config = config;
    this.length = length;
  }

  /**
   * Runs the warm-up for its length; answers how many messages were delivered. Never fails: a
   * failed warm-up only costs speed.
   */
  Future<Long> run() {
    if (length.isZero() || length.isNegative()) return Future.succeededFuture(0L);
    long started = System.nanoTime();
    Path dir;
    try {
      dir = Files.createTempDirectory("ferry-warm-up");
    } catch (IOException e) {
      LOG.warn("no warm-up: cannot create a temporary directory: {}", e.getMessage());
      return Future.succeededFuture(0L);
    }
    LOG.info(
        "warming up for {} s before the API opens: a throwaway Ferry on loopback, over {}",
        length.toSeconds(),
        dir);
    String token = UUID.randomUUID().toString();
    AtomicLong delivered = new AtomicLong();
    HttpServer destination =
        vertx
            .createHttpServer()
            .requestHandler(
                r ->
                    r.body()
                        .compose(b -> r.response().end())
                        .onSuccess(v -> delivered.incrementAndGet()));
    Future<Void> warmed =
        destination
            .listen(0, "127.0.0.1")
            .compose(
                server ->
                    Ferry.start(vertx, FerryConfig.from(throwaway(dir, token)))
                        .compose(
                            ferry ->
                                publishUntil(
                                        ferry.port(),
                                        server.actualPort(),
                                        token,
                                        started,
                                        delivered)
                                    .eventually(ferry::close)))
            .eventually(destination::close);
    return warmed.transform(
        ar ->
            vertx
                .executeBlocking(() -> deleteQuietly(dir)) // disk work: off the event loop
                .transform(ignored -> report(ar, started, delivered.get())));
  }

  /** Logs how the warm-up went; answers what it delivered. */
  private static Future<Long> report(AsyncResult<Void> ar, long started, long delivered) {
    if (ar.failed()) {
      LOG.warn("warm-up stopped early: {}", ar.cause().toString());
    } else {
      LOG.info(
          "warmed up in {} ms: {} messages published and delivered by a throwaway Ferry",
          (System.nanoTime() - started) / 1_000_000,
          delivered);
    }
    return Future.succeededFuture(delivered);
  }

  /** The real configuration's event loops, on loopback ports over {@code dir}, one tenant. */
  private JsonObject throwaway(Path dir, String token) {
    return new JsonObject()
        .put(
            "http",
            new JsonObject()
                .put("host", "127.0.0.1")
                .put("port", 0)
                .put("instances", config.http().instances())
                .put("drainTimeout", "1s"))
        .put("storage", new JsonObject().put("kind", "embedded").put("dataDir", dir.toString()))
        .put(
            "delivery",
            new JsonObject()
                .put("instances", config.delivery().instances())
                .put("maxConnectionsPerHost", CONCURRENCY))
        .put("metrics", new JsonObject().put("enabled", false))
        .put("shutdown", new JsonObject().put("gracePeriod", "3s"))
        .put("overload", new JsonObject().put("minFreeDiskBytes", 0))
        .put(
            "destinations", new JsonObject().put("allowCidrs", new JsonArray().add("127.0.0.1/32")))
        .put(
            "tenants",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("name", "warm-up")
                        .put("tokens", new JsonArray().add(token))
                        .put("currentSigningKey", Ids.newSigningKey())
                        .put("nextSigningKey", Ids.newSigningKey())));
  }

  /**
   * Single publishes, {@link #CONCURRENCY} at a time, until the length has passed; each is
   * delivered to the loopback destination meanwhile.
   */
  private Future<Void> publishUntil(
      int ferryPort, int destinationPort, String token, long started, AtomicLong delivered) {
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(CONCURRENCY));
    RequestOptions publish =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost("127.0.0.1")
            .setPort(ferryPort)
            .setURI("/v2/publish/http://127.0.0.1:" + destinationPort + "/warm-up")
            .putHeader("Authorization", "Bearer " + token)
            .putHeader("Content-Type", "application/json");
    long until = started + length.toNanos();
    Promise<Void> done = Promise.promise();
    AtomicLong running = new AtomicLong(CONCURRENCY);
    AtomicLong published = new AtomicLong();
    Buffer body = Buffer.buffer("{\"warm\":\"up\"}");
    for (int i = 0; i < CONCURRENCY; i++) {
      new Runnable() {
        @Override
        public void run() {
          if (System.nanoTime() >= until || done.future().isComplete()) {
            if (running.decrementAndGet() == 0) done.tryComplete();
            return;
          }
          if (published.get() - delivered.get() > MAX_UNDELIVERED) {
            vertx.setTimer(1, t -> run());
            return;
          }
          published.incrementAndGet();
          client
              .request(publish)
              .compose(r -> r.send(body))
              .compose(r -> r.body().map(r.statusCode()))
              .onComplete(
                  ar -> {
                    if (ar.failed() || ar.result() >= 300) {
                      done.tryFail(
                          ar.failed()
                              ? ar.cause()
                              : new IllegalStateException("publish answered " + ar.result()));
                    }
                    run();
                  });
        }
      }.run();
    }
    return done.future().eventually(client::close);
  }

  private static Void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("cannot delete the warm-up's directory {}: {}", dir, e.getMessage());
    }
    return null;
  }
}
