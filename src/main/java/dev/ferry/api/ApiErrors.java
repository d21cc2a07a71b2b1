package dev.ferry.api;

import dev.ferry.ingest.IngestException;
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
 * {@code Retry-After}: nothing was persisted, so the client should send it again.
 */
public final class ApiErrors {
  private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

  private final long retryAfterSeconds;
  private final ShedCounter shed;

  public ApiErrors(long retryAfterSeconds, ShedCounter shed) {
    this.retryAfterSeconds = retryAfterSeconds;
    this.shed = shed;
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
    if (!ctx.response().ended() && !ctx.response().headWritten()) {
      ctx.response().setStatusCode(status)
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(new JsonObject().put("error", message).encode());
    } else if (!ctx.response().ended()) {
      ctx.response().reset();
    }
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
