package dev.ferry;

import dev.ferry.config.FerryConfig;
import dev.ferry.config.WorkflowsConfig;
import dev.ferry.delivery.AttemptDeadlines;
import dev.ferry.delivery.DeliveryDrain;
import dev.ferry.health.Health;
import dev.ferry.ingest.Ids;
import dev.ferry.lifecycle.Retention;
import dev.ferry.metrics.FerryMetrics;
import dev.ferry.store.KeyRing;
import dev.ferry.store.LogStore;
import dev.ferry.store.StoreBackends;
import dev.ferry.store.Stores;
import dev.ferry.tls.TlsSetup;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Ferry: opens the store, builds the shared delivery client, deploys scheduler,
 * delivery partitions and API verticles, and resumes every queue. The only place where the stages
 * are wired together.
 */
public final class Ferry {
  private static final Logger LOG = LoggerFactory.getLogger(Ferry.class);
  private static final Duration DEDUP_PURGE_PERIOD = Duration.ofMinutes(1);

  private final Vertx vertx;
  private final Stores stores;
  private final HttpClient client;
  private final AttemptDeadlines deadlines;
  private final List<String> deployments;
  private final List<String> apiDeployments;
  private final int port;
  private final int managementPort;
  private final Operations ops;
  private final LogStore logs;
  private final Retention retention;
  private final DeliveryDrain drain;
  private final Duration gracePeriod;

  Ferry(
      Vertx vertx,
      Stores stores,
      HttpClient client,
      AttemptDeadlines deadlines,
      List<String> deployments,
      List<String> apiDeployments,
      int port,
      int managementPort,
      Operations ops,
      LogStore logs,
      Retention retention,
      DeliveryDrain drain,
      Duration gracePeriod) {
    this.managementPort = managementPort;
    this.drain = drain;
    this.gracePeriod = gracePeriod;
    this.vertx = vertx;
    this.stores = stores;
    this.client = client;
    this.deadlines = deadlines;
    this.deployments = deployments;
    this.apiDeployments = apiDeployments;
    this.port = port;
    this.ops = ops;
    this.logs = logs;
    this.retention = retention;
  }

  /** Starts Ferry on the given Vert.x instance; completes once the API is listening. */
  public static Future<Ferry> start(Vertx vertx, FerryConfig config) {
    return start(vertx, config, Clock.systemUTC());
  }

  public static Future<Ferry> start(Vertx vertx, FerryConfig config, Clock clock) {
    return start(vertx, config, clock, FerryMetrics.create(config.metrics(), clock));
  }

  /**
   * Starts Ferry recording into {@code metrics}; {@code Main} builds the Vert.x instance with
   * {@link FerryMetrics#newVertx} so its HTTP meters land in the same registry.
   */
  public static Future<Ferry> start(
      Vertx vertx, FerryConfig config, Clock clock, FerryMetrics metrics) {
    return start(vertx, config, clock, metrics, WorkflowsConfig.DEFAULTS);
  }

  /** As {@link #start(Vertx, FerryConfig, Clock, FerryMetrics)}, with workflow settings. */
  public static Future<Ferry> start(
      Vertx vertx,
      FerryConfig config,
      Clock clock,
      FerryMetrics metrics,
      WorkflowsConfig workflows) {
    return TlsSetup.load(vertx, config)
        .compose(
            tls ->
                StoreBackends.open(vertx, config, metrics, clock)
                    .compose(
                        backend -> {
                          Stores stores = backend.stores();
                          return KeyRing.load(
                                  stores.signingKeys(),
                                  stores.keyRotations(),
                                  Wiring.configuredKeys(config),
                                  Ids::newSigningKey)
                              .compose(keys -> Wiring.countDlq(config, stores, metrics).map(keys))
                              .compose(
                                  keys ->
                                      Wiring.wire(
                                          vertx,
                                          config,
                                          clock,
                                          stores,
                                          keys,
                                          metrics,
                                          backend.logs(),
                                          tls,
                                          workflows))
                              .recover(
                                  e ->
                                      backend.close().transform(ignored -> Future.failedFuture(e)));
                        }));
  }

  /**
   * Event-loop verticles of a stage: as configured, or half the cores (at least one). The other
   * half is left to the store's writer, readers and RocksDB, the message log and the JIT: with one
   * verticle per core, on two cores, each message crossed more event loops and delivery cost 27%
   * more CPU (docs/operations.md#configuration-reference).
   */
  static int instances(int configured) {
    return configured > 0
        ? configured
        : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  }

  /** The port the API listens on. */
  public int port() {
    return port;
  }

  /**
   * The port of the management listener ({@code /metrics}, {@code /health/*}); -1 when metrics are
   * disabled.
   */
  public int managementPort() {
    return managementPort;
  }

  public Stores stores() {
    return stores;
  }

  public FerryMetrics metrics() {
    return ops.metrics();
  }

  public Health health() {
    return ops.health();
  }

  /** The message log (a disabled one when {@code logs.enabled} is false). */
  public LogStore logs() {
    return logs;
  }

  /** Log and DLQ expiry; runs by itself every minute, tests may run it at once. */
  public Retention retention() {
    return retention;
  }

  /**
   * The shutdown sequence, within {@code shutdown.gracePeriod}: turns not-ready and refuses new API
   * requests (503), then, at the same time, stops the API (listener closed, in-flight requests
   * drained for at most {@code http.drainTimeout}) and delivery (see {@link
   * DeliveryDrain#stopForShutdown}: no new attempts, running ones may finish and be recorded, the
   * rest are left pending for the restart); then undeploys the rest, closes the delivery client,
   * the log and the store.
   */
  public Future<Void> close() {
    long started = System.nanoTime();
    ops.health().accepting(false);
    ops.stopFlushing(vertx);
    retention.stop();
    Future<Integer> delivery = drain.stopForShutdown(vertx, gracePeriod);
    Future<Void> api = Deployment.undeployAll(vertx, apiDeployments);
    return Future.join(api, delivery)
        .transform(ar -> Future.<Void>succeededFuture())
        .eventually(() -> Deployment.undeployAll(vertx, deployments))
        .andThen(ar -> ops.flush())
        .eventually(client::close)
        .eventually(() -> Deployment.stop(deadlines))
        .eventually(logs::close)
        .eventually(stores::close)
        .andThen(
            ar ->
                LOG.info(
                    "shutdown took {} ms",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
  }
}
