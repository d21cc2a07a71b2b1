package dev.ferry;

import dev.ferry.api.ApiRouter;
import dev.ferry.api.ApiVerticle;
import dev.ferry.api.manage.FlowControlHandler;
import dev.ferry.api.publish.ScheduleConfigs;
import dev.ferry.config.FerryConfig;
import dev.ferry.console.TenantActivity;
import dev.ferry.delivery.AttemptDeadlines;
import dev.ferry.delivery.Callbacks;
import dev.ferry.delivery.GlobalParallelism;
import dev.ferry.delivery.Deliverer;
import dev.ferry.delivery.DeliveryDrain;
import dev.ferry.delivery.DeliveryEvents;
import dev.ferry.delivery.DeliveryPlane;
import dev.ferry.delivery.DeliveryVerticle;
import dev.ferry.delivery.HostShares;
import dev.ferry.delivery.Unparking;
import dev.ferry.delivery.DestinationGuard;
import dev.ferry.delivery.VertxHostResolver;
import dev.ferry.egress.AddressPolicy;
import dev.ferry.delivery.FlowControlBounds;
import dev.ferry.delivery.Signer;
import dev.ferry.health.Health;
import dev.ferry.ingest.DedupJanitor;
import dev.ferry.ingest.Ids;
import dev.ferry.ingest.Ingest;
import dev.ferry.logging.FailedAttemptLog;
import dev.ferry.logging.RefusedRequestLog;
import dev.ferry.metrics.FerryMetrics;
import dev.ferry.metrics.ShedMeters;
import dev.ferry.overload.ShedCounter;
import dev.ferry.overload.Shedding;
import dev.ferry.model.SigningKeys;
import dev.ferry.api.messages.Lifecycle;
import dev.ferry.lifecycle.Cancellations;
import dev.ferry.lifecycle.LoggedTransitions;
import dev.ferry.lifecycle.Retention;
import dev.ferry.schedule.CronVerticle;
import dev.ferry.schedule.SchedulerVerticle;
import dev.ferry.store.KeyRing;
import dev.ferry.store.LogStore;
import dev.ferry.store.StoreBackends;
import dev.ferry.store.Stores;
import dev.ferry.tls.TlsSetup;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.PoolOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Ferry: opens the store, builds the shared delivery client, deploys scheduler, delivery partitions and
 * API verticles, and resumes every queue. The only place where the stages are wired together.
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

  private Ferry(Vertx vertx, Stores stores, HttpClient client, AttemptDeadlines deadlines, List<String> deployments,
                List<String> apiDeployments, int port, int managementPort, Operations ops, LogStore logs,
                Retention retention, DeliveryDrain drain, Duration gracePeriod) {
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
  public static Future<Ferry> start(Vertx vertx, FerryConfig config, Clock clock, FerryMetrics metrics) {
    return TlsSetup.load(vertx, config).compose(tls ->
        StoreBackends.open(config, metrics, clock).compose(backend -> {
          Stores stores = backend.stores();
          return KeyRing.load(stores.signingKeys(), configuredKeys(config), Ids::newSigningKey)
              .compose(keys -> countDlq(config, stores, metrics).map(keys))
              .compose(keys -> wire(vertx, config, clock, stores, keys, metrics, backend.logs(), tls))
              .recover(e -> backend.close().transform(ignored -> Future.failedFuture(e)));
        }));
  }

  /** Seeds the DLQ-size gauges before delivery can add to them. */
  private static Future<Void> countDlq(FerryConfig config, Stores stores, FerryMetrics metrics) {
    if (!metrics.enabled()) return Future.succeededFuture();
    List<Future<Long>> counts = new ArrayList<>();
    for (FerryConfig.Tenant tenant : config.tenants()) {
      counts.add(stores.dlq().count(tenant.name()).onSuccess(n -> metrics.dlqSize(tenant.name(), n)));
    }
    return Future.all(counts).mapEmpty();
  }

  private static Future<Ferry> wire(Vertx vertx, FerryConfig config, Clock clock, Stores stores, KeyRing keys,
                                    FerryMetrics metrics, LogStore logs, TlsSetup tls) {
    FerryConfig.Delivery d = config.delivery();
    HttpClient client = vertx.httpClientBuilder()
        .with(tls.delivery().applyTo(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
            .setName("ferry-delivery")))
        .with(new PoolOptions().setHttp1MaxSize(d.maxConnectionsPerHost()))
        .build();
    AttemptDeadlines deadlines = new AttemptDeadlines();
    DestinationGuard guard = new DestinationGuard(AddressPolicy.of(config.destinations()),
        new VertxHostResolver(vertx));
    if (config.destinations().dangerouslyAllowMetadata()) {
      LOG.warn("destinations.dangerouslyAllowMetadata is true: destinations may reach cloud-metadata and link-local "
          + "addresses (169.254.169.254, fd00:ec2::254, fe80::/10); anyone who can publish can read instance credentials");
    }
    Deliverer deliverer = new Deliverer(vertx, client, deadlines, new Signer(Ids::newJwtId), keys, d, clock, guard);
    List<String> deployments = new ArrayList<>();
    metrics.bindMessages(stores.messages());
    FailedAttemptLog failures = new FailedAttemptLog(config.logging().failedAttemptsPerSecond());
    TenantActivity activity = new TenantActivity(clock);
    DeliveryEvents events = DeliveryEvents.all(metrics, failures, activity);
    // cancelled ids outlive any copy delivery can hold: a retry timer (at most a day) plus an attempt
    Cancellations cancellations = new Cancellations(clock::millis,
        Duration.ofDays(1).plus(d.maxTimeout()).plusHours(1).toMillis(), 1_000_000);
    LoggedTransitions transitions = new LoggedTransitions(logs, cancellations);

    SchedulerVerticle[] scheduler = new SchedulerVerticle[1];
    DeliveryPlane[] plane = new DeliveryPlane[1];
    DeliveryVerticle.Later later = entries -> scheduler[0].schedule(entries);
    Ingest[] ingestRef = new Ingest[1];
    Callbacks callbacks = new Callbacks(produced -> ingestRef[0].publishProduced(produced), clock);
    GlobalParallelism global = new GlobalParallelism(d.globalParallelism());
    List<DeliveryVerticle> partitions = new ArrayList<>();
    int slots = instances(d.instances()) * d.maxInFlight();
    HostShares shares = new HostShares(slots, config.isolation().hostSharePercent());
    DeliveryDrain drain = new DeliveryDrain();
    for (int i = 0; i < instances(d.instances()); i++) {
      partitions.add(new DeliveryVerticle(stores.messages(), stores.queues(), deliverer, later,
          m -> plane[0].finished(m), d.maxInFlight(), clock, events, callbacks, global, stores.flowControl(),
          transitions, flowControlBounds(config, instances(d.instances())), shares, drain));
    }
    plane[0] = new DeliveryPlane(partitions, later, slots, config.overload().deliveryBytesBudget(), shares, clock);
    shares.onResume(new Unparking(stores.messages(), plane[0], shares, later, clock, vertx.getOrCreateContext()));
    scheduler[0] = new SchedulerVerticle(stores.messages(), plane[0]::due, plane[0]::capacity, d.horizon(), clock,
        config.overload().maxDueInMemory());
    plane[0].onCapacity(scheduler[0]::wake);
    scheduler[0].parkWhenHostFull(shares::parkIfFull);
    metrics.bindDueIndex(scheduler[0]::inMemory);
    Ingest ingest = new Ingest(stores.messages(), stores.queues(), stores.urlGroups(), stored -> {
      metrics.published(stored);
      activity.published(stored);
      logs.created(stored);  // before delivery hears of them, so CREATED is ordered before their ACTIVE
      plane[0].stored(stored);
    }, config.limits(), clock);
    ingestRef[0] = ingest;
    CronVerticle cron = new CronVerticle(stores.schedules(), ingest, clock, ScheduleConfigs.parser(config.limits()));
    BiConsumer<String, String> queueChanged = (tenant, queue) -> {
      plane[0].queueChanged(tenant, queue);
      stores.queues().get(tenant, queue).onSuccess(q -> {
        if (q.isPresent()) metrics.queueKnown(tenant, queue); else metrics.queueRemoved(tenant, queue);
      });
    };
    Health health = new Health(vertx, stores, logs);
    Operations ops = new Operations(metrics, health, failures,
        new RefusedRequestLog(config.logging().failedAttemptsPerSecond()));
    ApiRouter.Dependencies deps = new ApiRouter.Dependencies(config, stores, ingest, keys, clock, queueChanged,
        cron::changed, ops.apiRoutes(config),
        new FlowControlHandler.Admin(plane[0]::flowControl, global::max, global::count),
        new Lifecycle(logs, cancellations, (tenant, n) -> metrics.dlqRemoved(tenant, n)),
        shedding(config, metrics, stores), ops.refused(), activity);
    Retention retention = new Retention(vertx, logs, stores.dlq(), cancellations, config.logs().retention(),
        config.dlq().retention(), clock::millis, () -> countDlq(config, stores, metrics));
    if (metrics.enabled()) {
      Gauge.builder("ferry_delivery_parked", shares, HostShares::parked)
          .description("unqueued due messages waiting because their destination host holds its share of the slots")
          .register(metrics.registry());
      FunctionCounter.builder("ferry_log_entries_dropped", logs, LogStore::dropped)
          .description("message log entries dropped because the log writer could not keep up")
          .register(metrics.registry());
    }

    Future<Void> deployed = Future.succeededFuture();
    for (DeliveryVerticle p : partitions) {
      deployed = deployed.compose(v -> vertx.deployVerticle(p).map(deployments::add).mapEmpty());
    }
    return deployed
        // pauses and pins first: the partitions hear of them before the scheduler hands them any message
        .compose(v -> stores.flowControl().listAll()).map(settings -> {
          plane[0].restoreFlowControl(settings);
          return null;
        })
        .compose(v -> vertx.deployVerticle(scheduler[0]).map(deployments::add))
        .compose(v -> vertx.deployVerticle(cron).map(deployments::add))
        .compose(v -> vertx.deployVerticle(new DedupJanitor(stores.messages(), DEDUP_PURGE_PERIOD, clock))
            .map(deployments::add))
        .compose(v -> stores.queues().listAll())
        .map(queues -> {
          queues.forEach(q -> {
            plane[0].queueChanged(q.tenant(), q.name());
            metrics.queueKnown(q.tenant(), q.name());
          });
          return null;
        })
        .compose(v -> ops.deployManagement(vertx, config.metrics(), deployments))
        .compose(management -> deployApi(vertx, config, deps, tls, metrics).map(api -> {
          LOG.info("Ferry listening on port {} ({} tenants, data in {})", api.port, config.tenants().size(),
              config.storage().dataDir().toAbsolutePath());
          LOG.info("API: {}; {}", tls.server().describe(), tls.delivery().describe());
          if (management > 0) {
            LOG.info("management (/metrics, /health/*): plain HTTP on {}:{}", config.metrics().host(), management);
          }
          health.accepting(true);
          ops.startFlushing(vertx);
          retention.start(Duration.ofMinutes(1));
          return new Ferry(vertx, stores, client, deadlines, deployments, api.ids, api.port, management, ops, logs,
              retention, drain, config.shutdown().gracePeriod());
        }))
        .recover(e -> undeployAll(vertx, deployments).eventually(client::close)
            .eventually(() -> stop(deadlines)).transform(ignored -> Future.failedFuture(e)));
  }

  private record Api(List<String> ids, int port) {}

  /** Handed-back messages return within the scheduler's horizon: beyond it, only a store scan would find them. */
  /** Flow-control waitlists of all partitions hold at most a quarter of the delivery byte budget together. */
  private static FlowControlBounds flowControlBounds(FerryConfig config, int partitions) {
    Duration horizon = config.delivery().horizon();
    return new FlowControlBounds(config.overload().maxFlowControlWaiting(),
        Math.max(1, config.overload().deliveryBytesBudget() / 4 / partitions), config.overload().maxFlowControlKeys(),
        horizon.compareTo(Duration.ofMinutes(1)) < 0 ? horizon : Duration.ofMinutes(1));
  }

  /** The API's admission gate and where shed requests are counted ({@code ferry_requests_shed_total}). */
  private static Shedding shedding(FerryConfig config, FerryMetrics metrics, Stores stores) {
    if (!metrics.enabled()) return Shedding.of(config.overload(), ShedCounter.NONE);
    ShedMeters meters = new ShedMeters(metrics.registry());
    Shedding shedding = Shedding.of(config.overload(), meters);
    meters.gauge("ferry_api_requests_in_flight", "API requests being served now (capped by "
        + "overload.maxInFlightRequests)", shedding.admission(), a -> a.requests());
    meters.gauge("ferry_api_request_bytes_in_flight", "Declared body bytes of the API requests being served now "
        + "(capped by overload.maxInFlightRequestBytes)", shedding.admission(), a -> a.bytes());
    if (stores.pendingWrites().isPresent()) {
      meters.gauge("ferry_store_pending_writes", "Store writes waiting for the writer thread (API writes are shed "
          + "beyond overload.maxPendingWrites)", stores, s -> s.pendingWrites().orElse(0));
    }
    return shedding;
  }

  /** The first API verticle binds (port 0 picks a free port); the others share the port it got. */
  private static Future<Api> deployApi(Vertx vertx, FerryConfig config, ApiRouter.Dependencies deps, TlsSetup tls,
                                       FerryMetrics metrics) {
    Handler<HttpConnection> connections = metrics.enabled() ? metrics.httpServer()::connected : c -> { };
    List<String> ids = new ArrayList<>();
    ApiVerticle first = new ApiVerticle(deps, config.http().port(), tls.server(), connections);
    return vertx.deployVerticle(first).compose(id -> {
      ids.add(id);
      Future<Void> rest = Future.succeededFuture();
      for (int i = 1; i < instances(config.http().instances()); i++) {
        rest = rest.compose(v -> vertx.deployVerticle(new ApiVerticle(deps, first.port(), tls.server(), connections))
            .map(ids::add).mapEmpty());
      }
      return rest.map(new Api(ids, first.port()));
    });
  }

  private static Map<String, SigningKeys> configuredKeys(FerryConfig config) {
    Map<String, SigningKeys> keys = new LinkedHashMap<>();
    config.tenants().forEach(t -> keys.put(t.name(), new SigningKeys(t.currentSigningKey(), t.nextSigningKey())));
    return keys;
  }

  private static int instances(int configured) {
    return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
  }

  private static Future<Void> undeployAll(Vertx vertx, List<String> ids) {
    Future<Void> chain = Future.succeededFuture();
    for (String id : ids) {
      chain = chain.eventually(() -> vertx.undeploy(id));
    }
    return chain;
  }

  private static Future<Void> stop(AttemptDeadlines deadlines) {
    deadlines.close();
    return Future.succeededFuture();
  }

  /** The port the API listens on. */
  public int port() {
    return port;
  }

  /** The port of the management listener ({@code /metrics}, {@code /health/*}); -1 when metrics are disabled. */
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
   * The shutdown sequence, within {@code shutdown.gracePeriod}: turns not-ready and refuses new API requests (503),
   * then, at the same time, stops the API (listener closed, in-flight requests drained for at most
   * {@code http.drainTimeout}) and delivery (see {@link DeliveryDrain#stopForShutdown}: no new attempts, running ones
   * may finish and be recorded, the rest are left pending for the restart); then undeploys the rest, closes the
   * delivery client, the log and the store.
   */
  public Future<Void> close() {
    long started = System.nanoTime();
    ops.health().accepting(false);
    ops.stopFlushing(vertx);
    retention.stop();
    Future<Integer> delivery = drain.stopForShutdown(vertx, gracePeriod);
    Future<Void> api = undeployAll(vertx, apiDeployments);
    return Future.join(api, delivery).transform(ar -> Future.<Void>succeededFuture())
        .eventually(() -> undeployAll(vertx, deployments))
        .andThen(ar -> ops.flush())
        .eventually(client::close)
        .eventually(() -> stop(deadlines))
        .eventually(logs::close)
        .eventually(stores::close)
        .andThen(ar -> LOG.info("shutdown took {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
  }
}
