package dev.ferry.api;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

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
    if (anyForm(types)) {
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

  /**
   * On every request: a plain loop, no lower-cased copy (a stream and a copy showed in profiles).
   */
  private static boolean anyForm(List<String> types) {
    for (int i = 0; i < types.size(); i++) {
      if (isForm(types.get(i))) return true;
    }
    return false;
  }

  /** What the body handler would decode: it tests the lower-cased value's prefix. */
  private static boolean isForm(String type) {
    int start = 0;
    while (start < type.length() && type.charAt(start) <= ' ') start++;
    return startsWithIgnoreCase(type, start, "application/x-www-form-urlencoded")
        || startsWithIgnoreCase(type, start, "multipart/form-data");
  }

  /** ASCII case only, as the lower-casing with {@code Locale.ROOT} it replaces. */
  private static boolean startsWithIgnoreCase(String s, int from, String lowerPrefix) {
    if (s.length() - from < lowerPrefix.length()) return false;
    for (int i = 0; i < lowerPrefix.length(); i++) {
      char c = s.charAt(from + i);
      if (c >= 'A' && c <= 'Z') c = (char) (c + ('a' - 'A'));
      if (c != lowerPrefix.charAt(i)) return false;
    }
    return true;
  }
}
