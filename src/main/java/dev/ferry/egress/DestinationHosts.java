package dev.ferry.egress;

import java.util.Locale;

/**
 * The host part of a destination URL, for metric labels and log lines: no scheme, user info, port,
 * path or query (any of which may carry a secret). Lenient where {@link UrlTarget} is strict: a URL
 * without a scheme or with user info still yields a label. Both find the authority with {@link
 * #authorityEnd}, so a label and a call never disagree about where the host ends. Pure.
 */
public final class DestinationHosts {
  public static final String UNKNOWN = "unknown";

  private DestinationHosts() {}

  /**
   * {@code https://user:pw@Api.Example.com:8443/x?token=1} → {@code api.example.com}; {@code
   * unknown} if none.
   */
  public static String of(String url) {
    if (url == null) return UNKNOWN;
    int start = authorityStart(url);
    int end = authorityEnd(url, start);
    int at = url.lastIndexOf('@', end - 1);
    if (at >= start) start = at + 1;
    int portColon = -1;
    if (start < end
        && url.charAt(start) == '[') { // IPv6 literal: the port comes after the closing bracket
      int close = url.indexOf(']', start);
      if (close > 0 && close < end) {
        end = close + 1;
      }
    } else {
      portColon = url.indexOf(':', start);
    }
    if (portColon >= 0 && portColon < end) end = portColon;
    return end > start ? url.substring(start, end).toLowerCase(Locale.ROOT) : UNKNOWN;
  }

  /** Where the authority of {@code url} begins: after {@code ://}, or at 0 without a scheme. */
  public static int authorityStart(String url) {
    int start = url.indexOf("://");
    return start < 0 ? 0 : start + 3;
  }

  /**
   * Where the authority that begins at {@code start} ends: the first {@code /}, {@code ?} or {@code
   * #}, or the end.
   */
  public static int authorityEnd(String url, int start) {
    for (int i = start; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c == '/' || c == '?' || c == '#') return i;
    }
    return url.length();
  }
}
