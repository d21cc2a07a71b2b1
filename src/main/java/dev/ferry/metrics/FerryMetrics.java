package dev.ferry.metrics;

import dev.ferry.config.FerryConfig;
import dev.ferry.delivery.DeliveryEvents;
import dev.ferry.model.AttemptResult;
import dev.ferry.model.Message;
import dev.ferry.store.MessageStore;
import dev.ferry.store.StoreMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ferry's own meters and the registry {@code /metrics} is scraped from; the one place meter names
 * and tags are defined. Built in {@code Main} (so the Vert.x instance can record its HTTP
 * server/client meters into the same registry) and passed down; hears delivery through {@link
 * DeliveryEvents} and the store through {@link StoreMetrics}.
 *
 * <p>Cheap on the hot path: meters are created once per (tenant, queue), per destination host and
 * per attempt result and cached in maps, so an event costs a map lookup or two and an atomic add;
 * no tags are built per event. Cardinality is bounded: tenants come from the configuration, queues
 * are limited per tenant, destination hosts are capped ({@code metrics.maxDestinationHosts}, then
 * {@code host="other"}), and only the host of a URL is ever a label, never its path, query or user
 * info. Tokens and signing keys never reach a meter.
 *
 * <p>When {@code metrics.enabled} is false every meter is a no-op and nothing is served.
 */
public final class FerryMetrics implements DeliveryEvents, StoreMetrics {
  private static final Logger LOG = LoggerFactory.getLogger(FerryMetrics.class);

  // Meter names, Micrometer style; Prometheus adds the unit and _total
  // (ferry_messages_published_total, ...).
  public static final String PUBLISHED = "ferry.messages.published";
  public static final String DELIVERED = "ferry.messages.delivered";
  public static final String RETRIED = "ferry.messages.retried";
  public static final String FAILED = "ferry.messages.failed";
  public static final String OUTCOMES_DROPPED = "ferry.delivery.outcomes.dropped";
  public static final String QUEUE_LAG = "ferry.queue.lag";
  public static final String ATTEMPTS = "ferry.delivery.attempts";
  public static final String ATTEMPT_DURATION = "ferry.delivery.attempt.duration";
  public static final String DELIVERY_LATENCY = "ferry.delivery.latency";
  public static final String IN_FLIGHT = "ferry.delivery.in.flight";
  public static final String DUE_IN_MEMORY = "ferry.scheduler.due.in.memory";
  public static final String DLQ_SIZE = "ferry.dlq.size";
  public static final String STORE_COMMIT_DURATION = "ferry.store.commit.duration";
  public static final String STORE_COMMIT_SIZE = "ferry.store.commit.size";
  public static final String STORE_COMMIT_FAILURES = "ferry.store.commit.failures";

  public static final String TENANT = "tenant";
  public static final String QUEUE = "queue";
  public static final String HOST = "host";
  public static final String RESULT = "result";

  /** The queue label of messages published without a queue. */
  public static final String NO_QUEUE = "";

  private final MeterRegistry registry;
  private final PrometheusMeterRegistry prometheus;
  private final String vertxRegistryName = "ferry-" + UUID.randomUUID();

  private final ConcurrentHashMap<String, ConcurrentHashMap<String, QueueMeters>> byTenant =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, DlqGauge> dlqByTenant = new ConcurrentHashMap<>();
  private final AttemptMeters attempts;
  private final HttpServerMeters httpServer;
  private final StoreCommitMeters store;
  private volatile MessageStore messages;
  private volatile IntSupplier dueIndex = () -> 0;

  private FerryMetrics(
      MeterRegistry registry,
      PrometheusMeterRegistry prometheus,
      FerryConfig.Metrics config,
      Clock clock) {
    this.registry = registry;
    this.prometheus = prometheus;
    this.httpServer = prometheus == null ? null : new HttpServerMeters(registry);
    this.store = new StoreCommitMeters(registry);
    this.attempts = new AttemptMeters(registry, config.maxDestinationHosts(), clock);
    Gauge.builder(DUE_IN_MEMORY, this, m -> m.dueIndex.getAsInt())
        .description(
            "Due times of unqueued messages held in memory by the scheduler (the near horizon)")
        .strongReference(true)
        .register(registry);
  }

  /**
   * A Prometheus-backed instance when {@code config.enabled()}, else one whose meters do nothing.
   */
  public static FerryMetrics create(FerryConfig.Metrics config, Clock clock) {
    if (!config.enabled()) {
      return new FerryMetrics(new CompositeMeterRegistry(), null, config, clock);
    }
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    return new FerryMetrics(prometheus, prometheus, config, clock);
  }

  /**
   * A Vert.x instance that records its pool and JVM meters into this registry (a plain one when
   * metrics are disabled). Its HTTP meters are off: the API server has {@link HttpServerMeters},
   * delivery Ferry's own meters.
   */
  public Vertx newVertx(VertxOptions options) {
    if (prometheus == null) {
      return Vertx.vertx(options);
    }
    return VertxMeters.newVertx(options, prometheus, vertxRegistryName);
  }

  /**
   * The API server's meters: the router's first handler and the server's connection handler; null
   * when disabled.
   */
  public HttpServerMeters httpServer() {
    return httpServer;
  }

  public boolean enabled() {
    return prometheus != null;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /**
   * The Prometheus text exposition of every meter; empty when metrics are disabled. Takes a moment:
   * not on a loop.
   */
  public Optional<String> scrape() {
    return prometheus == null ? Optional.empty() : Optional.of(prometheus.scrape());
  }

  // --- wiring
  // -------------------------------------------------------------------------------------------------------

  /** Queue lag gauges read {@link MessageStore#queueLength} on scrape. */
  public void bindMessages(MessageStore messages) {
    this.messages = messages;
  }

  /** A tenant is configured: give it a pending-messages gauge ({@link PendingGauge}). */
  public void tenantKnown(String tenant) {
    if (registry != null) PendingGauge.register(registry, () -> messages, tenant);
  }

  /**
   * The scheduler's in-memory due index size, read on scrape (a later call replaces the source,
   * e.g. a restart).
   */
  public void bindDueIndex(IntSupplier size) {
    dueIndex = size;
  }

  /** A queue exists (it may hold messages from before a restart): give it a lag gauge. */
  public void queueKnown(String tenant, String queue) {
    queue(tenant, queue);
  }

  /** A queue was deleted: its meters go away (a queue of the same name later starts from zero). */
  public void queueRemoved(String tenant, String queue) {
    ConcurrentHashMap<String, QueueMeters> queues = byTenant.get(tenant);
    QueueMeters removed = queues == null ? null : queues.remove(queue);
    if (removed != null) {
      removed.meters().forEach(registry::remove);
    }
  }

  /** Sets the DLQ size of a tenant (counted at start-up); later moves to the DLQ add to it. */
  public void dlqSize(String tenant, long size) {
    LongAdder adder = dlq(tenant).size;
    adder.reset();
    adder.add(size);
  }

  /** Entries left the tenant's DLQ (deleted or retried by the API). */
  public void dlqRemoved(String tenant, long count) {
    dlq(tenant).size.add(-count);
  }

  // --- events
  // -------------------------------------------------------------------------------------------------------

  /** Messages were durably stored (the ingest nudge). */
  public void published(List<Message> stored) {
    QueueMeters last = null;
    int run = 0;
    for (Message m : stored) {
      if (last == null || !last.is(m.tenant(), m.queueName())) {
        if (last != null) last.published.increment(run);
        last = queue(m.tenant(), m.queueName());
        run = 0;
      }
      run++;
    }
    if (last != null) last.published.increment(run);
  }

  @Override
  public void attemptStarted(Message m) {
    attempts.started();
  }

  @Override
  public void attemptEnded(
      Message m, AttemptResult result, long attemptNanos, Outcome outcome, long retryAt) {
    try {
      attempts.ended(m, result, attemptNanos);
      QueueMeters q = queue(m.tenant(), m.queueName());
      switch (outcome) {
        case DELIVERED -> {
          q.delivered.increment();
          attempts.delivered(m);
        }
        case RETRY -> q.retried.increment();
        case FAILED -> {
          q.failed.increment();
          dlq(m.tenant()).size.increment();
        }
        case FAILED_IN_RUN -> q.failed.increment();
        case DROPPED -> q.dropped.increment();
        case UNRECORDED -> {}
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "recording delivery metrics failed: {}",
          e.toString()); // never let metrics break delivery
    }
  }

  @Override
  public void committed(int operations, long nanos, boolean synced) {
    try {
      store.committed(operations, nanos, synced);
    } catch (RuntimeException e) {
      LOG.warn(
          "recording store metrics failed: {}",
          e.toString()); // on the writer thread: never throw there
    }
  }

  @Override
  public void commitFailed(int operations, Exception error) {
    try {
      store.failed();
    } catch (RuntimeException e) {
      LOG.warn("recording store metrics failed: {}", e.toString());
    }
  }

  // --- meters
  // -------------------------------------------------------------------------------------------------------

  private QueueMeters queue(String tenant, String queueName) {
    String queue = queueName == null ? NO_QUEUE : queueName;
    ConcurrentHashMap<String, QueueMeters> queues = byTenant.get(tenant);
    if (queues == null) {
      queues = byTenant.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>());
    }
    QueueMeters meters = queues.get(queue);
    return meters != null
        ? meters
        : queues.computeIfAbsent(queue, q -> new QueueMeters(registry, () -> messages, tenant, q));
  }

  private DlqGauge dlq(String tenant) {
    DlqGauge gauge = dlqByTenant.get(tenant);
    return gauge != null ? gauge : dlqByTenant.computeIfAbsent(tenant, DlqGauge::new);
  }

  /** The number of DLQ entries of one tenant. */
  private final class DlqGauge {
    final LongAdder size = new LongAdder();

    DlqGauge(String tenant) {
      Gauge.builder(DLQ_SIZE, size, LongAdder::sum)
          .description("Entries in the tenant's dead-letter queue")
          .tag(TENANT, tenant)
          .strongReference(true)
          .register(registry);
    }
  }

  static Duration[] seconds(double... values) {
    Duration[] durations = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      durations[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
    }
    return durations;
  }
}
