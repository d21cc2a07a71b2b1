package dev.ferry.api;

import dev.ferry.api.manage.FlowControlHandler;
import dev.ferry.api.manage.KeysHandler;
import dev.ferry.api.manage.QueuesHandler;
import dev.ferry.api.manage.SchedulesHandler;
import dev.ferry.api.manage.UrlGroupsHandler;
import dev.ferry.api.messages.Lifecycle;
import dev.ferry.api.messages.LifecycleRoutes;
import dev.ferry.api.publish.BatchHandler;
import dev.ferry.api.publish.PublishHandler;
import dev.ferry.config.FerryConfig;
import dev.ferry.console.ConsoleRoutes;
import dev.ferry.console.TenantActivity;
import dev.ferry.egress.AddressPolicy;
import dev.ferry.error.ApiException;
import dev.ferry.ingest.Ingest;
import dev.ferry.logging.RefusedRequestLog;
import dev.ferry.overload.Shedding;
import dev.ferry.store.KeyRing;
import dev.ferry.store.Stores;
import dev.ferry.store.UrlGroupStore;
import dev.ferry.workflow.Workflows;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.function.BiConsumer;

/** The one route table of the QStash-compatible API. Built once per API verticle. */
public final class ApiRouter {
  private ApiRouter() {}

  /**
   * What the API needs from the rest of Ferry, wired in {@code Ferry}. {@code operations} mounts
   * the routes and handlers that are not the QStash API (access log, {@code /health/*}, {@code
   * /metrics}) ahead of it, without the token. {@code refused} logs the requests refused before any
   * route took them; {@code Ferry} flushes it. {@code activity} is what the console's overview
   * shows.
   */
  public record Dependencies(
      FerryConfig config,
      Stores stores,
      Ingest ingest,
      KeyRing keys,
      Clock clock,
      BiConsumer<String, String> queueChanged,
      BiConsumer<String, String> scheduleChanged,
      Handler<Router> operations,
      FlowControlHandler.Admin flowControl,
      Lifecycle lifecycle,
      Shedding shedding,
      RefusedRequestLog refused,
      TenantActivity activity,
      Workflows workflows) {}

  public static Router create(Vertx vertx, Dependencies deps) {
    FerryConfig.Limits limits = deps.config().limits();
    Router router = Router.router(vertx);
    deps.operations().handle(router);
    Shedding shedding = deps.shedding();
    ApiErrors errors =
        new ApiErrors(shedding.retryAfterSeconds(), shedding.counter(), deps.refused());
    // matching a route decodes the path (and for some the query): a malformed escape fails before
    // any handler runs
    router.errorHandler(400, errors::unroutable);
    // first, before any body is read or buffered: a shed request costs no body
    router
        .route()
        .handler(
            new AdmissionHandler(
                shedding.admission(), errors, shedding.counter(), limits.maxMessageBytes()));
    // Webhook calls carry no token: the event id in their path authorises them (HooksHandler).
    router.route(Workflows.HOOKS_PATH).handler(FormContentType::hide);
    router
        .route(Workflows.HOOKS_PATH)
        .handler(BodyHandler.create(false).setBodyLimit(limits.maxMessageBytes()));
    router
        .route(Workflows.HOOKS_PATH)
        .handler(FormContentType::restore)
        .handler(deps.workflows().hooks());
    // Authenticate before reading a body: a client without a token must not make Ferry buffer up to
    // a request's limit.
    router.route("/v2/*").handler(new TokenAuth(deps.config().tenants()));
    ConsoleRoutes.mount(
        router, deps.config().tenants(), deps.activity(), deps.stores(), deps.clock());
    // A publish body is one message: refuse it at the message limit while it streams in, not after
    // buffering a whole
    // request's worth. The general handler below then sees the body read and lets it through.
    long messageLimit = Math.min(limits.maxMessageBytes(), limits.maxRequestBytes());
    router.route().handler(FormContentType::hide); // bodies are bytes or JSON: no form decoding
    router.post("/v2/publish/*").handler(BodyHandler.create(false).setBodyLimit(messageLimit));
    router.post("/v2/enqueue/*").handler(BodyHandler.create(false).setBodyLimit(messageLimit));
    router.route().handler(BodyHandler.create(false).setBodyLimit(limits.maxRequestBytes()));
    router.route().handler(FormContentType::restore);

    UrlGroupStore groups = deps.stores().urlGroups();
    AddressCheck addresses = new AddressCheck(AddressPolicy.of(deps.config().destinations()));
    router
        .post("/v2/publish/*")
        .handler(
            new PublishHandler(
                deps.workflows().ingest(), groups, limits, deps.clock(), false, addresses));
    router
        .post("/v2/enqueue/*")
        .handler(
            new PublishHandler(
                deps.workflows().ingest(), groups, limits, deps.clock(), true, addresses));
    router
        .post("/v2/batch")
        .handler(
            new BatchHandler(deps.workflows().ingest(), groups, limits, deps.clock(), addresses));
    new QueuesHandler(
            deps.stores().queues(),
            deps.stores().messages(),
            limits,
            deps.clock(),
            deps.queueChanged())
        .mount(router);
    new UrlGroupsHandler(deps.stores().urlGroups(), limits, deps.clock(), addresses).mount(router);
    new KeysHandler(deps.keys()).mount(router);
    deps.workflows().mount(router);
    new FlowControlHandler(deps.flowControl()).mount(router);
    new SchedulesHandler(
            deps.stores().schedules(),
            deps.stores().messages(),
            deps.stores().dlq(),
            limits,
            deps.clock(),
            deps.scheduleChanged(),
            addresses)
        .mount(router);
    LifecycleRoutes.mount(
        router,
        deps.lifecycle(),
        deps.stores().messages(),
        deps.stores().dlq(),
        deps.workflows().dlq(),
        deps.ingest(),
        limits,
        deps.clock(),
        deps.queueChanged());

    router
        .route()
        .last()
        .handler(
            ctx ->
                ctx.fail(
                    ApiException.notFound(
                        "no such endpoint: "
                            + ctx.request().method()
                            + " "
                            + ctx.request().path())));
    router.route().failureHandler(errors::handle);
    return router;
  }
}
