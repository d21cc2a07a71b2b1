package dev.ferry.logging;

import java.util.Locale;

/**
 * The request target as the access log shows it, with every secret the URI can carry taken out.
 * Pure.
 *
 * <ul>
 *   <li>Publish and enqueue ({@code /v2/publish/...}, {@code /v2/enqueue/...}): the destination URL
 *       rides in the path, so its query (plain or percent-encoded as {@code %3F}), fragment and
 *       user info are cut off, and so is the request's own query ({@code qstash_token}, {@code
 *       upstash-*} parameters).
 *   <li>Every other route keeps its query without {@code qstash_token}.
 *   <li>At most {@link #MAX_LENGTH} characters.
 * </ul>
 */
public final class RequestLine {
  static final int MAX_LENGTH = 512;
  static final String REDACTED = "***";
  private static final String TOKEN_PARAM = "qstash_token";

  private RequestLine() {}

  public static String redact(String uri) {
    if (uri == null) return "";
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    String query = q < 0 ? null : uri.substring(q + 1);
    String shown;
    if (path.startsWith("/v2/publish/") || path.startsWith("/v2/enqueue/")) {
      shown = withoutUserInfo(cutAt(cutAt(cutAt(path, "%3f"), "#"), "%23"));
    } else {
      String kept = query == null ? null : withoutToken(query);
      shown = kept == null || kept.isEmpty() ? path : path + "?" + kept;
    }
    return shown.length() <= MAX_LENGTH ? shown : shown.substring(0, MAX_LENGTH) + "...";
  }

  /** Cuts {@code s} at the first {@code marker} (ASCII case-insensitive). */
  private static String cutAt(String s, String marker) {
    int i = s.toLowerCase(Locale.ROOT).indexOf(marker);
    return i < 0 ? s : s.substring(0, i);
  }

  /**
   * {@code https://user:pw@host/x} → {@code https://***@host/x}, also percent-encoded ({@code %2F},
   * {@code %40}).
   */
  private static String withoutUserInfo(String path) {
    String lower = path.toLowerCase(Locale.ROOT);
    int authority = lower.indexOf("//");
    int encodedAuthority = lower.indexOf("%2f%2f");
    int start;
    if (authority >= 0 && (encodedAuthority < 0 || authority < encodedAuthority)) {
      start = authority + 2;
    } else if (encodedAuthority >= 0) {
      start = encodedAuthority + 6;
    } else {
      start = lower.indexOf(":/"); // a collapsed https:/host
      if (start < 0) return path;
      start += 2;
    }
    int end = firstOf(lower, start, "/", "%2f");
    int at = Math.max(lower.lastIndexOf('@', end - 1), lower.lastIndexOf("%40", end - 1));
    if (at < start) return path;
    int afterAt = lower.startsWith("%40", at) ? at + 3 : at + 1;
    return path.substring(0, start) + REDACTED + "@" + path.substring(afterAt);
  }

  private static int firstOf(String s, int from, String a, String b) {
    int i = s.indexOf(a, from);
    int j = s.indexOf(b, from);
    if (i < 0) return j < 0 ? s.length() : j;
    return j < 0 ? i : Math.min(i, j);
  }

  private static String withoutToken(String query) {
    StringBuilder kept = new StringBuilder();
    for (String param : query.split("&")) {
      int eq = param.indexOf('=');
      String name = eq < 0 ? param : param.substring(0, eq);
      if (name.equalsIgnoreCase(TOKEN_PARAM)) continue;
      if (kept.length() > 0) kept.append('&');
      kept.append(param);
    }
    return kept.toString();
  }
}
