package dev.ferry.api;

import dev.ferry.error.ApiException;
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
 * The only place a failure becomes an HTTP response: QStash's {@code {"error": "..."}} shape, with
 * the stable {@code "code"} of the refusal as an extra field. Only refusals we intend are 4xx: an
 * {@link ApiException} (its status and code) and vertx-web's own {@link HttpException} (e.g. 413
 * from the body limit). Anything else is a fault of ours, an {@link IllegalArgumentException}
 * included: a 500 {@code "internal error"} that does not show its message, logged once with its
 * stack trace and the request. A store that cannot take the write ({@link
 * StoreUnavailableException}) and a shed request are 503 with {@code Retry-After}: nothing was
 * persisted, so the client should send it again. A request the router cannot route (see {@link
 * #unroutable}) gets the same shape.
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
    if (status >= 500) {
      // redacted like the access log: a publish path carries the destination URL
      LOG.error(
          "request failed: {} {}",
          ctx.request().method(),
          RequestLine.redact(ctx.request().uri()),
          failure);
    }
    respond(ctx, status, codeOf(status, failure), messageOf(status, failure));
  }

  /**
   * The router's error handler for 400, which vertx-web calls (instead of writing a bare-text 400
   * and logging a stack trace) when matching a route throws on a malformed percent-escape: matching
   * decodes the path before any handler has run, the token check included, so such a path is
   * refused alike with a token or without (as the HTTP decoder's refusals are); for a route with
   * path parameters it also decodes the query. Logged as one rate-limited line.
   */
  public void unroutable(RoutingContext ctx) {
    String problem = PercentEscapes.problem(ctx.request().path(), "path");
    if (problem == null) problem = PercentEscapes.problem(ctx.request().query(), "query");
    String message = problem != null ? problem : "malformed request target";
    refused.refused(ctx.request().method().name(), CallerIp.of(ctx), message);
    respond(ctx, 400, "bad_request", message);
  }

  /**
   * 503 with {@code Retry-After}: the request was not served (and nothing of it stored); try again
   * later.
   */
  void overloaded(RoutingContext ctx, String message) {
    if (ctx.response().ended()) return;
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ctx.response()
        .setStatusCode(503)
        .putHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds))
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body(message, "unavailable"));
  }

  private static void respond(RoutingContext ctx, int status, String code, String message) {
    if (!ctx.response().ended() && !ctx.response().headWritten()) {
      ctx.response()
          .setStatusCode(status)
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(body(message, code));
    } else if (!ctx.response().ended()) {
      ctx.response().reset();
    }
  }

  /** QStash's error shape; SDKs read {@code error}, {@code code} is ours and stable. */
  static String body(String message, String code) {
    return new JsonObject().put("error", message).put("code", code).encode();
  }

  private static int statusOf(RoutingContext ctx, Throwable failure) {
    if (failure instanceof ApiException e) return e.status();
    if (failure instanceof HttpException e) return e.getStatusCode();
    if (failure == null && ctx.statusCode() >= 400) return ctx.statusCode();
    return 500;
  }

  private static String codeOf(int status, Throwable failure) {
    if (failure instanceof ApiException e) return e.code();
    return switch (status) {
      case 401 -> "unauthorized";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> "payload_too_large";
      case 503 -> "unavailable";
      default -> status >= 500 ? "internal_error" : "bad_request";
    };
  }

  private static String messageOf(int status, Throwable failure) {
    if (status == 413) return "request body too large";
    if (status == 404 && !(failure instanceof ApiException)) return "not found";
    if (status == 405) return "method not allowed";
    if (status >= 500) return "internal error"; // never internals: the log has them
    if (failure == null || failure.getMessage() == null) return "bad request";
    return failure.getMessage();
  }
}
