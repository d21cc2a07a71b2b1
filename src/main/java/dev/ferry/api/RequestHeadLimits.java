package dev.ferry.api;

import dev.ferry.config.FerryConfig;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;

/**
 * Limits on the head of a request (docs/compatibility.md#limits), answered in QStash's {@code
 * {"error": ...}} shape before any route runs: a request line over {@code maxRequestLineBytes} is
 * 414, a header section over {@code maxHeaderBytes} or with more than {@code maxHeaders} lines is
 * 431, any other request the HTTP decoder refuses (a NUL or bare CR in a header, a malformed chunk
 * size) is 400. Each of these answers closes the connection: after a framing error the rest of the
 * stream cannot be trusted to be a request. Runs on the API event loops; one per {@link
 * ApiVerticle}.
 *
 * <p>Why here: Vert.x enforces the byte limits in its decoder and by default answers 414/431 with
 * an empty body and closes the connection without any answer for other decoding failures; a client
 * then sees a reset instead of a 4xx.
 */
final class RequestHeadLimits {
  private final FerryConfig.Requests limits;

  RequestHeadLimits(FerryConfig.Requests limits) {
    this.limits = limits;
  }

  /** The decoder's byte limits on {@code options}. */
  HttpServerOptions applyTo(HttpServerOptions options) {
    return options
        .setMaxInitialLineLength(limits.maxRequestLineBytes())
        .setMaxHeaderSize(limits.maxHeaderBytes());
  }

  /** Passes a request on to {@code next} unless it has too many header lines. */
  Handler<HttpServerRequest> countingHeaders(Handler<HttpServerRequest> next) {
    return request -> {
      int lines = 0;
      for (Map.Entry<String, String> ignored :
          request.headers()) { // size() counts names, not lines
        if (++lines > limits.maxHeaders()) {
          refuse(
              request,
              431,
              "headers_too_large",
              "too many request headers: at most " + limits.maxHeaders());
          return;
        }
      }
      next.handle(request);
    };
  }

  /** The server's {@code invalidRequestHandler}: what the HTTP decoder refused, as a JSON 4xx. */
  void invalid(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    if (cause instanceof TooLongHttpLineException) {
      refuse(
          request,
          414,
          "uri_too_long",
          "request line too long: at most " + limits.maxRequestLineBytes() + " bytes");
    } else if (cause instanceof TooLongHttpHeaderException) {
      refuse(
          request,
          431,
          "headers_too_large",
          "request headers too large: at most " + limits.maxHeaderBytes() + " bytes");
    } else {
      refuse(request, 400, "bad_request", "malformed HTTP request");
    }
  }

  private static void refuse(HttpServerRequest request, int status, String code, String message) {
    if (request
        .response()
        .headWritten()) { // the decoder failed in the body of a request already answered
      request.connection().close();
      return;
    }
    request
        .response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(ApiErrors.body(message, code));
  }
}
