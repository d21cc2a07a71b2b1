package dev.ferry.testing;

import dev.ferry.Ferry;
import dev.ferry.config.FerryConfig;
import dev.ferry.metrics.FerryMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A Ferry on a free port over a temporary data directory, plus a client that speaks to it as a
 * tenant would.
 */
public final class TestFerry implements AutoCloseable {
  public static final String TOKEN = "test-token-a";
  public static final String OTHER_TOKEN = "test-token-b";
  public static final String CURRENT_KEY = "sig_testCurrentKey0000000000000";
  public static final String NEXT_KEY = "sig_testNextKey000000000000000000";

  private final Vertx vertx;
  private final FerryConfig config;
  private final Clock clock;
  private final FerryMetrics metrics;
  private final WebClient client;

  /** Where this helper's own requests are issued (see {@link OnContext}). */
  private final Context context;

  private Ferry ferry;

  private TestFerry(Vertx vertx, FerryConfig config, Clock clock, FerryMetrics metrics) {
    this.vertx = vertx;
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
    this.client = WebClient.create(vertx);
    this.context = vertx.getOrCreateContext();
  }

  /** Metrics on, the management listener on a free loopback port: tests never bind a fixed one. */
  public static final FerryConfig.Metrics METRICS =
      new FerryConfig.Metrics(
          true, "127.0.0.1", 0, FerryConfig.Metrics.DEFAULTS.maxDestinationHosts());

  /**
   * Two tenants ("a" with {@link #TOKEN}, "b" with {@link #OTHER_TOKEN}), small limits, fast
   * delivery settings, the management listener on a free loopback port ({@link #METRICS}), a short
   * shutdown grace (tests close often); every other key at its built-in default.
   */
  public static FerryConfig config(Path dataDir) {
    return FerryConfig.from(configTree(dataDir));
  }

  /** The tree {@link #config} reads, by key name; {@link TestConfigs} changes a few keys of it. */
  public static JsonObject configTree(Path dataDir) {
    return new JsonObject()
        .put(
            "http",
            new JsonObject()
                .put("host", "127.0.0.1")
                .put("port", 0)
                .put("instances", 1)
                .put("drainTimeout", "2s"))
        .put("storage", new JsonObject().put("kind", "embedded").put("dataDir", dataDir.toString()))
        .put(
            "delivery",
            new JsonObject()
                .put("instances", 2)
                .put("maxConnectionsPerHost", 16)
                .put("defaultTimeout", "5s")
                .put("maxTimeout", "2h")
                .put("maxResponseBodyBytes", 1024)
                .put("maxInFlight", 1000)
                .put("horizon", "30s"))
        .put("metrics", new JsonObject().put("host", METRICS.host()).put("port", METRICS.port()))
        .put(
            "limits",
            new JsonObject()
                .put("maxMessageBytes", 64 * 1024)
                .put("maxRequestBytes", 1024 * 1024)
                .put("maxBatchEntries", 100)
                .put("defaultRetries", 3)
                .put("maxRetries", 20)
                .put("maxDelay", "365d")
                .put("maxQueues", 5)
                .put("maxQueueParallelism", 10)
                .put("maxUrlGroups", 5)
                .put("maxEndpointsPerGroup", 10)
                .put("dedupWindow", "10m")
                .put("maxSchedules", 5))
        .put("shutdown", new JsonObject().put("gracePeriod", "3s"))
        .put(
            "tenants",
            new JsonArray()
                .add(TestConfigs.tenant("a", TOKEN, CURRENT_KEY, NEXT_KEY))
                .add(
                    TestConfigs.tenant(
                        "b",
                        OTHER_TOKEN,
                        "sig_otherCurrent000000000000000",
                        "sig_otherNext0000000000000000000")));
  }

  public static TestFerry start(Vertx vertx, Path dataDir) throws Exception {
    return start(vertx, config(dataDir));
  }

  public static TestFerry start(Vertx vertx, FerryConfig config) throws Exception {
    return start(vertx, config, Clock.systemUTC());
  }

  /** A Ferry whose every component reads time from {@code clock} (e.g. a {@link TestClock}). */
  public static TestFerry start(Vertx vertx, FerryConfig config, Clock clock) throws Exception {
    return start(vertx, config, clock, FerryMetrics.create(config.metrics(), clock));
  }

  /**
   * With the given metrics, e.g. those a Vert.x instance from {@link FerryMetrics#newVertx} records
   * into.
   */
  public static TestFerry start(Vertx vertx, FerryConfig config, FerryMetrics metrics)
      throws Exception {
    return start(vertx, config, Clock.systemUTC(), metrics);
  }

  public static TestFerry start(Vertx vertx, FerryConfig config, Clock clock, FerryMetrics metrics)
      throws Exception {
    if (config.metrics().enabled() && config.metrics().port() != 0) {
      // a fixed port (the default 9090) collides with other tests and with whatever else runs on
      // the machine
      throw new IllegalArgumentException(
          "a test Ferry's metrics.port must be 0: use TestFerry.METRICS");
    }
    TestFerry t = new TestFerry(vertx, config, clock, metrics);
    t.ferry = Ferry.start(vertx, config, clock, metrics).await(30, TimeUnit.SECONDS);
    return t;
  }

  /**
   * Stops this instance; {@link #startAgain} starts a new one on the same data directory (time may
   * pass between).
   */
  public void stop() throws Exception {
    ferry.close().await(30, TimeUnit.SECONDS);
    ferry = null;
  }

  public TestFerry startAgain() throws Exception {
    ferry = Ferry.start(vertx, config, clock, metrics).await(30, TimeUnit.SECONDS);
    return this;
  }

  /** Stops this instance and starts a new one on the same data directory. */
  public TestFerry restart() throws Exception {
    stop();
    return startAgain();
  }

  public int port() {
    return ferry.port();
  }

  /**
   * The management listener's port ({@code /metrics}, {@code /health/*}); -1 when metrics are
   * disabled.
   */
  public int managementPort() {
    return ferry.managementPort();
  }

  public Ferry ferry() {
    return ferry;
  }

  /**
   * Sends a request built by {@link #request} and waits for the answer, issued on a Vert.x context
   * (OnContext).
   */
  public <T> T await(Supplier<Future<T>> call) throws Exception {
    return await(call, Duration.ofSeconds(10));
  }

  public <T> T await(Supplier<Future<T>> call, Duration timeout) throws Exception {
    return OnContext.await(context, call, timeout);
  }

  /** A request to the API port without credentials (health). */
  public HttpResponse<Buffer> get(String uri) throws Exception {
    return await(() -> client.request(HttpMethod.GET, port(), "127.0.0.1", uri).send());
  }

  /** A request to the management listener ({@code /metrics}, {@code /health/*}). */
  public HttpResponse<Buffer> getManagement(String uri) throws Exception {
    return await(() -> client.request(HttpMethod.GET, managementPort(), "127.0.0.1", uri).send());
  }

  public HttpRequest<Buffer> request(HttpMethod method, String uri) {
    return client.request(method, port(), "127.0.0.1", uri).bearerTokenAuthentication(TOKEN);
  }

  /** Sends and waits (JUnit thread only). */
  public HttpResponse<Buffer> send(
      HttpMethod method, String uri, Map<String, String> headers, String body) throws Exception {
    HttpRequest<Buffer> r = request(method, uri);
    headers.forEach(r::putHeader);
    return await(() -> body == null ? r.send() : r.sendBuffer(Buffer.buffer(body)));
  }

  public HttpResponse<Buffer> publish(String destination, Map<String, String> headers, String body)
      throws Exception {
    return send(HttpMethod.POST, "/v2/publish/" + destination, headers, body);
  }

  @Override
  public void close() throws Exception {
    if (ferry != null) ferry.close().await(30, TimeUnit.SECONDS);
    client.close();
  }
}
