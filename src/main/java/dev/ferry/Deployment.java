package dev.ferry;

import dev.ferry.api.ApiRouter;
import dev.ferry.api.ApiVerticle;
import dev.ferry.config.FerryConfig;
import dev.ferry.cron.CronVerticle;
import dev.ferry.delivery.AttemptDeadlines;
import dev.ferry.ingest.DedupJanitor;
import dev.ferry.lifecycle.Retention;
import dev.ferry.metrics.FerryMetrics;
import dev.ferry.schedule.SchedulerVerticle;
import dev.ferry.store.KeyRefresher;
import dev.ferry.store.LogStore;
import dev.ferry.store.Stores;
import dev.ferry.tls.TlsSetup;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every stage built and connected by {@link Ferry#start}, not yet deployed; {@link #deploy} starts
 * them in order (delivery, scheduler, cron, dedup janitor, queue resume, management, API) and
 * undoes what it started if a step fails.
 */
record Deployment(
    Vertx vertx,
    FerryConfig config,
    Clock clock,
    Stores stores,
    FerryMetrics metrics,
    HttpClient client,
    AttemptDeadlines deadlines,
    LogStore logs,
    DeliveryStage delivery,
    SchedulerVerticle scheduler,
    CronVerticle cron,
    Operations ops,
    ApiRouter.Dependencies api,
    Retention retention,
    TlsSetup tls) {
  private static final Logger LOG = LoggerFactory.getLogger(Deployment.class);
  private static final Duration DEDUP_PURGE_PERIOD = Duration.ofMinutes(1);

  /** How soon a rotation on another replica signs deliveries here. */
  private static final Duration KEY_REFRESH_PERIOD = Duration.ofSeconds(1);

  Future<Ferry> deploy() {
    List<String> deployments = new ArrayList<>();
    return delivery
        .deploy(vertx, stores, deployments)
        .compose(v -> vertx.deployVerticle(scheduler).map(deployments::add))
        .compose(v -> vertx.deployVerticle(cron).map(deployments::add))
        .compose(
            v ->
                vertx
                    .deployVerticle(new DedupJanitor(stores.messages(), DEDUP_PURGE_PERIOD, clock))
                    .map(deployments::add))
        .compose(
            v ->
                stores.ownership().shared()
                    ? vertx
                        .deployVerticle(new KeyRefresher(api.keys(), KEY_REFRESH_PERIOD))
                        .map(deployments::add)
                    : Future.succeededFuture())
        .compose(v -> stores.queues().listAll())
        .map(
            queues -> {
              queues.forEach(
                  q -> {
                    delivery.plane().queueChanged(q.tenant(), q.name());
                    metrics.queueKnown(q.tenant(), q.name());
                  });
              return null;
            })
        .compose(v -> ops.deployManagement(vertx, config.metrics(), deployments))
        .compose(
            management ->
                deployApi(vertx, config, api, tls, metrics)
                    .map(listening -> started(deployments, listening, management)))
        .recover(
            e ->
                undeployAll(vertx, deployments)
                    .eventually(client::close)
                    .eventually(() -> stop(deadlines))
                    .transform(ignored -> Future.failedFuture(e)));
  }

  private Ferry started(List<String> deployments, Api listening, int management) {
    LOG.info(
        "Ferry listening on port {} ({} tenants, data in {})",
        listening.port,
        config.tenants().size(),
        config.storage().dataDir().toAbsolutePath());
    LOG.info("API: {}; {}", tls.server().describe(), tls.delivery().describe());
    if (management > 0) {
      LOG.info(
          "management (/metrics, /health/*): plain HTTP on {}:{}",
          config.metrics().host(),
          management);
    }
    ops.health().accepting(true);
    ops.startFlushing(vertx);
    retention.start(Duration.ofMinutes(1));
    return new Ferry(
        vertx,
        stores,
        client,
        deadlines,
        deployments,
        listening.ids,
        listening.port,
        management,
        ops,
        logs,
        retention,
        delivery.drain(),
        config.shutdown().gracePeriod());
  }

  private record Api(List<String> ids, int port) {}

  /** The first API verticle binds (port 0 picks a free port); the others share the port it got. */
  private static Future<Api> deployApi(
      Vertx vertx,
      FerryConfig config,
      ApiRouter.Dependencies deps,
      TlsSetup tls,
      FerryMetrics metrics) {
    Handler<HttpConnection> connections =
        metrics.enabled() ? metrics.httpServer()::connected : c -> {};
    List<String> ids = new ArrayList<>();
    ApiVerticle first = new ApiVerticle(deps, config.http().port(), tls.server(), connections);
    return vertx
        .deployVerticle(first)
        .compose(
            id -> {
              ids.add(id);
              Future<Void> rest = Future.succeededFuture();
              for (int i = 1; i < Ferry.instances(config.http().instances()); i++) {
                rest =
                    rest.compose(
                        v ->
                            vertx
                                .deployVerticle(
                                    new ApiVerticle(deps, first.port(), tls.server(), connections))
                                .map(ids::add)
                                .mapEmpty());
              }
              return rest.map(new Api(ids, first.port()));
            });
  }

  static Future<Void> undeployAll(Vertx vertx, List<String> ids) {
    Future<Void> chain = Future.succeededFuture();
    for (String id : ids) {
      chain = chain.eventually(() -> vertx.undeploy(id));
    }
    return chain;
  }

  static Future<Void> stop(AttemptDeadlines deadlines) {
    deadlines.close();
    return Future.succeededFuture();
  }
}
