package dev.ferry.api;

import dev.ferry.overload.Admission;
import dev.ferry.overload.ShedCounter;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * First handler of the QStash API, ahead of the body handler: lets a request in only while the
 * {@link Admission} caps hold, and otherwise answers 503 with {@code Retry-After} before a byte of
 * its body is buffered. A body of unknown length (chunked) is counted as one maximal message, the
 * most one publish may carry. Runs on the API event loops.
 */
final class AdmissionHandler implements Handler<RoutingContext> {
  private final Admission admission;
  private final ApiErrors errors;
  private final ShedCounter shed;
  private final long chunkedBodyBytes;

  AdmissionHandler(Admission admission, ApiErrors errors, ShedCounter shed, long chunkedBodyBytes) {
    this.admission = admission;
    this.errors = errors;
    this.shed = shed;
    this.chunkedBodyBytes = chunkedBodyBytes;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long bodyBytes = declaredBodyBytes(ctx.request());
    Admission.Refusal refusal = admission.enter(bodyBytes);
    if (refusal != null) {
      shed.shed(refusal.label());
      discardBody(ctx.request());
      errors.overloaded(
          ctx,
          refusal == Admission.Refusal.TOO_MANY_REQUESTS
              ? "too many requests in progress, retry later"
              : "too many request bytes in progress, retry later");
      return;
    }
    ctx.addEndHandler(
        v -> admission.leave(bodyBytes)); // runs on end, reset and connection close alike
    ctx.next();
  }

  /**
   * Reads the unread body and drops it chunk by chunk (nothing is buffered), so the client gets its
   * 503 on a connection that stays usable; closing instead would reset the connection under a
   * client still sending, and it could lose the answer that tells it to retry.
   */
  private static void discardBody(HttpServerRequest request) {
    if (request.isEnded()) return;
    request.handler(chunk -> {});
    request.resume();
  }

  private long declaredBodyBytes(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      try {
        return Math.max(0, Long.parseLong(length.trim()));
      } catch (NumberFormatException bad) {
        return chunkedBodyBytes; // the body handler refuses it; until then count it as large
      }
    }
    HttpMethod method = request.method();
    boolean mayHaveBody =
        request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null
            || request.version() == HttpVersion.HTTP_2
                && !method.equals(HttpMethod.GET)
                && !method.equals(HttpMethod.HEAD);
    return mayHaveBody ? chunkedBodyBytes : 0;
  }
}
