package dev.ferry;

import dev.ferry.api.ApiRouter;
import dev.ferry.api.manage.FlowControlHandler;
import dev.ferry.api.messages.Lifecycle;
import dev.ferry.api.publish.ScheduleConfigs;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.WorkflowsConfig;
import dev.ferry.console.TenantActivity;
import dev.ferry.cron.CronVerticle;
import dev.ferry.delivery.AttemptDeadlines;
import dev.ferry.delivery.Deliverer;
import dev.ferry.delivery.DeliveryEvents;
import dev.ferry.delivery.flow.GlobalParallelism;
import dev.ferry.delivery.flow.RoutedFlowControl;
import dev.ferry.health.Health;
import dev.ferry.ingest.Ingest;
import dev.ferry.lifecycle.Cancellations;
import dev.ferry.lifecycle.LoggedTransitions;
import dev.ferry.lifecycle.Retention;
import dev.ferry.logging.FailedAttemptLog;
import dev.ferry.logging.RefusedRequestLog;
import dev.ferry.metrics.FerryMetrics;
import dev.ferry.model.SigningKeys;
import dev.ferry.schedule.SchedulerVerticle;
import dev.ferry.store.KeyRing;
import dev.ferry.store.LogStore;
import dev.ferry.store.Stores;
import dev.ferry.tls.TlsSetup;
import dev.ferry.workflow.RunEndings;
import dev.ferry.workflow.WorkflowDeliveries;
import dev.ferry.workflow.Workflows;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Builds Ferry's stages from the opened stores and keys, binds the edges between them, and deploys
 * them: the one place that knows how the parts of the message path connect ({@code
 * docs/architecture.md}, "The path of a message"). {@link Ferry#start} opens what it needs first.
 */
final class Wiring {
  private Wiring() {}

  /** Seeds the DLQ-size gauges before delivery can add to them. */
  static Future<Void> countDlq(FerryConfig config, Stores stores, FerryMetrics metrics) {
    if (!metrics.enabled()) return Future.succeededFuture();
    List<Future<Long>> counts = new ArrayList<>();
    for (FerryConfig.Tenant tenant : config.tenants()) {
      counts.add(
          stores.dlq().count(tenant.name()).onSuccess(n -> metrics.dlqSize(tenant.name(), n)));
    }
    return Future.all(counts).mapEmpty();
  }

  /**
   * Builds the stages in the order data flows (scheduler, delivery, ingest, cron, API) and deploys
   * them. Three edges point back up the stream, and each is bound once, by name, before anything is
   * deployed: the scheduler hands due messages to delivery, delivery tells the workflows of a run
   * its failing message ended (for invoke), and delivery stores its callback messages through
   * ingest.
   */
  static Future<Ferry> wire(
      Vertx vertx,
      FerryConfig config,
      Clock clock,
      Stores stores,
      KeyRing keys,
      FerryMetrics metrics,
      LogStore logs,
      TlsSetup tls,
      WorkflowsConfig workflowsConfig) {
    HttpClient client = deliveryClient(vertx, config.delivery(), tls);
    AttemptDeadlines deadlines = new AttemptDeadlines();
    FailedAttemptLog failures = new FailedAttemptLog(config.logging().failedAttemptsPerSecond());
    Cancellations cancellations = cancellations(config.delivery(), clock);
    TenantActivity activity = new TenantActivity(clock);
    metrics.bindMessages(stores.messages());
    config.tenants().forEach(t -> metrics.tenantKnown(t.name()));

    SchedulerVerticle scheduler =
        new SchedulerVerticle(
            stores.messages(),
            config.delivery().horizon(),
            clock,
            config.overload().maxDueInMemory(),
            stores.ownership());
    metrics.bindDueIndex(scheduler::inMemory);
    RunEndings runEndings = new RunEndings(stores.messages(), stores.workflowRuns(), clock);
    Deliverer deliverer =
        DeliveryStage.deliverer(
            vertx,
            config,
            client,
            deadlines,
            keys,
            clock,
            new WorkflowDeliveries(stores.workflowRuns()));
    DeliveryStage delivery =
        DeliveryStage.build(
            vertx,
            config,
            stores,
            runEndings,
            deliverer,
            scheduler::schedule,
            scheduler::wake,
            DeliveryEvents.all(metrics, failures, activity),
            new LoggedTransitions(logs, cancellations),
            clock);
    Ingest ingest =
        new Ingest(
            stores.messages(),
            stores.queues(),
            stores.urlGroups(),
            stored -> {
              metrics.published(stored);
              activity.published(stored);
              // before delivery hears of them, so CREATED is ordered before their ACTIVE
              logs.created(stored);
              delivery.plane().stored(stored);
              stores.nudges().stored(stored); // those another replica owns: tell it
            },
            config.limits(),
            clock,
            stores.messageIds());
    // the edges back up the stream
    scheduler.deliverTo(delivery.forScheduler());
    Workflows workflows =
        Workflows.create(
            vertx, stores, ingest, logs, cancellations, config.limits(), config.tenants(), clock);
    runEndings.onRunFailed(workflows.invokes()::mayHaveEnded);
    delivery
        .callbacks()
        .storeThrough(
            produced -> workflows.failures().complete(produced).compose(ingest::publishProduced));
    CronVerticle cron =
        new CronVerticle(
            stores.schedules(),
            ingest,
            clock,
            ScheduleConfigs.parser(config.limits()),
            stores.ownership());
    cancellations.announceTo(stores.nudges()::cancelled);
    stores.nudges().listen(new Nudging(scheduler, delivery.plane(), cron, cancellations));

    Operations ops =
        new Operations(
            metrics,
            new Health(vertx, stores, logs),
            failures,
            new RefusedRequestLog(config.logging().failedAttemptsPerSecond()));
    ApiRouter.Dependencies api =
        apiDependencies(
            config,
            stores,
            ingest,
            keys,
            clock,
            metrics,
            ops,
            delivery,
            cron,
            new Lifecycle(logs, cancellations, (tenant, n) -> metrics.dlqRemoved(tenant, n)),
            activity,
            workflows);
    Retention retention =
        new Retention(
            vertx,
            logs,
            stores.dlq(),
            cancellations,
            config.logs().retention(),
            config.dlq().retention(),
            clock::millis,
            () -> countDlq(config, stores, metrics));
    StageMeters.register(metrics, delivery.shares(), deliverer, logs);
    Deployment wired =
        new Deployment(
            vertx, config, clock, stores, metrics, client, deadlines, logs, delivery, scheduler,
            cron, ops, api, retention, tls);
    return wired.deploy().compose(ferry -> workflows.start(workflowsConfig.retention()).map(ferry));
  }

  /** The delivery client: one pool per destination host, shared by every partition. */
  private static HttpClient deliveryClient(Vertx vertx, FerryConfig.Delivery d, TlsSetup tls) {
    return vertx
        .httpClientBuilder()
        .with(
            tls.delivery()
                .applyTo(
                    new HttpClientOptions()
                        .setKeepAlive(true)
                        .setTcpNoDelay(true)
                        .setName("ferry-delivery")))
        .with(new PoolOptions().setHttp1MaxSize(d.maxConnectionsPerHost()))
        .build();
  }

  /**
   * Cancelled ids outlive any copy delivery can hold: a retry timer (at most a day) plus an
   * attempt.
   */
  private static Cancellations cancellations(FerryConfig.Delivery d, Clock clock) {
    return new Cancellations(
        clock::millis, Duration.ofDays(1).plus(d.maxTimeout()).plusHours(1).toMillis(), 1_000_000);
  }

  private static ApiRouter.Dependencies apiDependencies(
      FerryConfig config,
      Stores stores,
      Ingest ingest,
      KeyRing keys,
      Clock clock,
      FerryMetrics metrics,
      Operations ops,
      DeliveryStage delivery,
      CronVerticle cron,
      Lifecycle lifecycle,
      TenantActivity activity,
      Workflows workflows) {
    BiConsumer<String, String> queueChanged =
        (tenant, queue) -> {
          delivery.plane().queueChanged(tenant, queue);
          stores.nudges().queueChanged(tenant, queue);
          stores
              .queues()
              .get(tenant, queue)
              .onSuccess(
                  q -> {
                    if (q.isPresent()) metrics.queueKnown(tenant, queue);
                    else metrics.queueRemoved(tenant, queue);
                  });
        };
    GlobalParallelism global = delivery.global();
    return new ApiRouter.Dependencies(
        config,
        stores,
        ingest,
        keys,
        clock,
        queueChanged,
        (tenant, scheduleId) -> {
          cron.changed(tenant, scheduleId);
          stores.nudges().scheduleChanged(tenant, scheduleId);
        },
        ops.apiRoutes(config),
        new FlowControlHandler.Admin(
            flowControlCommands(stores, delivery), global::max, global::count),
        lifecycle,
        StageMeters.shedding(config, metrics, stores),
        ops.refused(),
        activity,
        workflows);
  }

  /**
   * One process runs every flow-control command on its own lanes; a replica sharing the store sends
   * a command to the replica that owns the key's lane, and answers the others' commands.
   */
  private static FlowControlHandler.Commands flowControlCommands(
      Stores stores, DeliveryStage delivery) {
    if (!stores.ownership().shared()) return delivery.plane()::flowControl;
    RoutedFlowControl routed =
        new RoutedFlowControl(
                delivery.plane()::flowControl, stores.ownership(), stores.flowControlPeers())
            .listen();
    return routed::command;
  }

  static Map<String, SigningKeys> configuredKeys(FerryConfig config) {
    Map<String, SigningKeys> keys = new LinkedHashMap<>();
    config
        .tenants()
        .forEach(
            t -> keys.put(t.name(), new SigningKeys(t.currentSigningKey(), t.nextSigningKey())));
    return keys;
  }
}
