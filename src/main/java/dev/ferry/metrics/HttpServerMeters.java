package dev.ferry.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The API server's meters: one timer per route, method and status ({@code
 * ferry_http_server_requests_seconds}) and the open connections ({@code
 * ferry_http_server_connections}). First handler of the router; it replaces Vert.x's own HTTP
 * server meters, which looked their meters up in the registry by tags on every request (with
 * request and response size summaries besides): a tenth of the event loop's time on the
 * single-publish path.
 *
 * <p>Labels stay bounded whatever clients send: {@code route} is the API family of the path ({@code
 * /v2/publish}, {@code /v2/queues}, …, {@code /health}, {@code /metrics}, else {@code other}),
 * never the path itself (a publish path holds the destination URL); unusual methods share {@code
 * OTHER}. A timer is built once per label combination and then found by a packed int key.
 */
public final class HttpServerMeters implements Handler<RoutingContext> {
  public static final String REQUESTS = "ferry.http.server.requests";
  public static final String CONNECTIONS = "ferry.http.server.connections";

  /** The families below {@code /v2/}; a path's first segment there picks its label. */
  private static final List<String> API_FAMILIES =
      List.of(
          "publish",
          "enqueue",
          "batch",
          "queues",
          "topics",
          "schedules",
          "messages",
          "dlq",
          "logs",
          "events",
          "keys",
          "flowControl",
          "globalParallelism");

  private static final List<String> METHODS =
      List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
  private static final String OTHER_METHOD = "OTHER";
  private static final int HEALTH = API_FAMILIES.size();
  private static final int METRICS = HEALTH + 1;
  private static final int OTHER_ROUTE = METRICS + 1;
  private static final Duration[] BUCKETS =
      FerryMetrics.seconds(
          0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10);

  private final MeterRegistry registry;
  private final ConcurrentHashMap<Integer, Timer> timers = new ConcurrentHashMap<>();
  private final AtomicLong connections = new AtomicLong();

  public HttpServerMeters(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder(CONNECTIONS, connections, AtomicLong::get)
        .description("Open connections to the API server")
        .strongReference(true)
        .register(registry);
  }

  @Override
  public void handle(RoutingContext ctx) {
    long started = System.nanoTime();
    HttpServerRequest request = ctx.request();
    int route = routeOf(request.path());
    int method = METHODS.indexOf(request.method().name());
    ctx.addEndHandler(
        ar ->
            timer(route, method, request.response().getStatusCode())
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS));
    ctx.next();
  }

  /** Counts a connection of the API server until it closes (the server's connection handler). */
  public void connected(HttpConnection connection) {
    connections.incrementAndGet();
    connection.closeHandler(v -> connections.decrementAndGet());
  }

  private Timer timer(int route, int method, int status) {
    int code = status >= 100 && status <= 999 ? status : 0;
    int key = (route * (METHODS.size() + 1) + (method + 1)) * 1000 + code;
    Timer timer = timers.get(key);
    return timer != null
        ? timer
        : timers.computeIfAbsent(
            key,
            k ->
                Timer.builder(REQUESTS)
                    .description(
                        "API requests by route family, method and status: count and time to the response's end")
                    .tags(
                        "route",
                        routeName(route),
                        "method",
                        method < 0 ? OTHER_METHOD : METHODS.get(method),
                        "code",
                        Integer.toString(code))
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry));
  }

  /** The label of a path, by its family: plain prefix checks, no allocation on the usual paths. */
  static int routeOf(String path) {
    if (path == null) return OTHER_ROUTE;
    if (path.startsWith("/v2/")) {
      int end = path.indexOf('/', 4);
      int length = (end < 0 ? path.length() : end) - 4;
      for (int i = 0; i < API_FAMILIES.size(); i++) {
        String family = API_FAMILIES.get(i);
        if (family.length() == length && path.startsWith(family, 4)) return i;
      }
      return OTHER_ROUTE;
    }
    if (path.startsWith("/health/")) return HEALTH;
    return path.equals("/metrics") ? METRICS : OTHER_ROUTE;
  }

  static String routeName(int route) {
    if (route < API_FAMILIES.size()) return "/v2/" + API_FAMILIES.get(route);
    if (route == HEALTH) return "/health";
    return route == METRICS ? "/metrics" : "other";
  }
}
