package dev.ferry.api;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;

/**
 * Keeps vertx-web's body handler from decoding form bodies. Ferry reads a body as bytes (a message)
 * or as JSON, never as form fields, but the body handler gives any body sent as {@code
 * application/x-www-form-urlencoded} or {@code multipart/form-data} to Netty's form decoder as
 * well, and that failed with a 500 on a malformed body, an empty boundary, a field over 8 KiB (a
 * legitimate publish) or a GET with a {@code Content-Length}, and left a request with a malformed
 * query unanswered. {@link #hide} takes such a {@code Content-Type} off the request ahead of the
 * body handlers, {@link #restore} puts it back after them, so every API handler (and a publish
 * forwarding it) sees it as sent. Runs on the API event loops.
 */
final class FormContentType {
  private static final String HIDDEN = "ferry.formContentType";

  private FormContentType() {}

  static void hide(RoutingContext ctx) {
    MultiMap headers = ctx.request().headers();
    List<String> types = headers.getAll(HttpHeaders.CONTENT_TYPE);
    if (types.stream().anyMatch(FormContentType::isForm)) {
      ctx.put(HIDDEN, types);
      headers.remove(HttpHeaders.CONTENT_TYPE);
    }
    ctx.next();
  }

  static void restore(RoutingContext ctx) {
    List<String> types = ctx.remove(HIDDEN);
    if (types != null) ctx.request().headers().add(HttpHeaders.CONTENT_TYPE.toString(), types);
    ctx.next();
  }

  /** What the body handler would decode: it tests the lower-cased value's prefix. */
  private static boolean isForm(String type) {
    String lower = type.trim().toLowerCase(Locale.ROOT);
    return lower.startsWith("application/x-www-form-urlencoded")
        || lower.startsWith("multipart/form-data");
  }
}
