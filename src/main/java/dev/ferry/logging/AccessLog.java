package dev.ferry.logging;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per API request on the {@code ferry.access} logger, written when the response ends:
 * method, path (see {@link RequestLine} for what is cut out), status, duration, response bytes and
 * the client's address; in JSON mode the same values are fields. Never the {@code Authorization}
 * header, any other header, a token or a body. Probes and scrapes ({@code /health/*}, {@code
 * /metrics}) are not logged. First handler of the router; on only when {@code logging.accessLog} is
 * true.
 */
public final class AccessLog implements Handler<RoutingContext> {
  public static final String LOGGER = "ferry.access";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String path = request.path();
    if (path != null && (path.startsWith("/health/") || path.equals("/metrics"))) {
      ctx.next();
      return;
    }
    long started = System.nanoTime();
    ctx.addEndHandler(ar -> log(request, started, ar.succeeded()));
    ctx.next();
  }

  private static void log(HttpServerRequest request, long started, boolean completed) {
    if (!LOG.isInfoEnabled()) return;
    long micros = (System.nanoTime() - started) / 1000;
    String method = request.method().name();
    String target = RequestLine.redact(request.uri());
    int status = request.response().getStatusCode();
    long bytes = request.response().bytesWritten();
    SocketAddress remote =
        request.connection().remoteAddress(); // as CallerIp: no Forwarded-header parsing
    String client = remote == null ? "-" : remote.hostAddress() + ":" + remote.port();
    String duration =
        micros >= 10_000 ? (micros / 1000) + "ms" : String.format("%.2fms", micros / 1000.0);
    LOG.atInfo()
        .addKeyValue("method", method)
        .addKeyValue("path", target)
        .addKeyValue("status", status)
        .addKeyValue("durationMs", micros / 1000.0)
        .addKeyValue("bytes", bytes)
        .addKeyValue("remote", client)
        .log(
            "{} {} {}{} {} {}B {}",
            method,
            target,
            status,
            completed ? "" : " (connection closed)",
            duration,
            bytes,
            client);
  }
}
