package dev.ferry.api;

import dev.ferry.ingest.IngestException;
import dev.ferry.logging.RefusedRequestLog;
import dev.ferry.logging.RequestLine;
import dev.ferry.overload.ShedCounter;
import dev.ferry.store.StoreUnavailableException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only place a failure becomes an HTTP response: QStash's {@code {"error": "..."}} shape, 500 only when unknown.
 * A store that cannot take the write ({@link StoreUnavailableException}) and a shed request are 503 with
 * {@code Retry-After}: nothing was persisted, so the client should send it again. A request the router cannot route
 * (see {@link #unroutable}) gets the same shape.
 */
public final class ApiErrors {
  private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

  private final long retryAfterSeconds;
  private final ShedCounter shed;
  private final RefusedRequestLog refused;

  public ApiErrors(long retryAfterSeconds, ShedCounter shed, RefusedRequestLog refused) {
    this.retryAfterSeconds = retryAfterSeconds;
    this.shed = shed;
    this.refused = refused;
  }

  /** The failure handler of the API router. */
  public void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof StoreUnavailableException unavailable) {
      shed.shed(unavailable.reason().label());
      overloaded(ctx, unavailable.getMessage());
      return;
    }
    int status = statusOf(ctx, failure);
    String message = messageOf(status, failure);
    if (status >= 500) {
      // redacted like the access log: a publish path carries the destination URL
      LOG.error("request failed: {} {}", ctx.request().method(), RequestLine.redact(ctx.request().uri()), failure);
    }
    respond(ctx, status, message);
  }

  /**
   * The router's error handler for 400, which vertx-web calls (instead of writing a bare-text 400 and logging a stack
   * trace) when matching a route throws on a malformed percent-escape: matching decodes the path before any handler
   * has run, the token check included, so such a path is refused alike with a token or without (as the HTTP
   * decoder's refusals are); for a route with path parameters it also decodes the query. Logged as one rate-limited
   * line.
   */
  public void unroutable(RoutingContext ctx) {
    String problem = PercentEscapes.problem(ctx.request().path(), "path");
    if (problem == null) problem = PercentEscapes.problem(ctx.request().query(), "query");
    String message = problem != null ? problem : "malformed request target";
    refused.refused(ctx.request().method().name(), CallerIp.of(ctx), message);
    respond(ctx, 400, message);
  }

  /** 503 with {@code Retry-After}: the request was not served (and nothing of it stored); try again later. */
  void overloaded(RoutingContext ctx, String message) {
    if (ctx.response().ended()) return;
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ctx.response().setStatusCode(503)
        .putHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds))
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("error", message).encode());
  }

  private static void respond(RoutingContext ctx, int status, String message) {
    if (!ctx.response().ended() && !ctx.response().headWritten()) {
      ctx.response().setStatusCode(status)
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(new JsonObject().put("error", message).encode());
    } else if (!ctx.response().ended()) {
      ctx.response().reset();
    }
  }

  private static int statusOf(RoutingContext ctx, Throwable failure) {
    if (failure instanceof ApiException e) return e.status();
    if (failure instanceof IngestException e) return e.status();
    if (failure instanceof HttpException e) return e.getStatusCode();
    if (failure instanceof IllegalArgumentException) return 400;
    if (failure == null && ctx.statusCode() >= 400) return ctx.statusCode();
    return 500;
  }

  private static String messageOf(int status, Throwable failure) {
    if (status == 413) return "request body too large";
    if (status == 404 && !(failure instanceof ApiException) && !(failure instanceof IngestException)) {
      return "not found";
    }
    if (status == 405) return "method not allowed";
    if (status >= 500 || failure == null || failure.getMessage() == null) {
      return status >= 500 ? "internal error" : "bad request";
    }
    return failure.getMessage();
  }
}
