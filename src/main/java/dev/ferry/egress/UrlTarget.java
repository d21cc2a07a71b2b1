package dev.ferry.egress;

import java.util.Locale;

/**
 * Where an http(s) URL points: its host and port, and the address bytes when the host is an IP
 * literal. Parses only the authority, the way the delivery client reads it (scheme, {@code //},
 * host up to {@code / ? #}, {@code [IPv6]}, optional port); URLs reaching delivery were validated
 * at publish time, anything odd here is refused by the caller. Pure.
 *
 * @param host lower-case host without brackets
 * @param port explicit port, or 80 / 443 by scheme
 * @param literal address bytes (4 or 16) if the host is an IP literal, else null
 * @param v4 the IPv4 literal as an int when {@code literal} has 4 bytes
 * @param valid false when the URL cannot be read (no scheme, unparsable bracketed host, bad port):
 *     never called
 */
public record UrlTarget(String host, int port, byte[] literal, int v4, boolean valid) {
  private static final UrlTarget INVALID = new UrlTarget("", 0, null, 0, false);

  /** Reads {@code url}; never throws. */
  public static UrlTarget of(String url) {
    if (url == null) return INVALID;
    int scheme = url.indexOf("://");
    if (scheme < 0) return INVALID;
    boolean https = url.regionMatches(true, 0, "https", 0, scheme) && scheme == 5;
    int start = scheme + 3;
    int end = DestinationHosts.authorityEnd(url, start);
    if (url.lastIndexOf('@', end - 1) >= start)
      return INVALID; // user-info is refused at publish time
    String host;
    String port;
    if (start < end && url.charAt(start) == '[') {
      int close = url.indexOf(']', start);
      if (close < 0 || close >= end) return INVALID;
      host = url.substring(start + 1, close);
      String after = url.substring(close + 1, end);
      if (!after.isEmpty() && after.charAt(0) != ':') return INVALID;
      port = after.isEmpty() ? "" : after.substring(1);
      byte[] literal = IpLiterals.parse(host);
      if (literal == null) return INVALID;
      return withPort(host.toLowerCase(Locale.ROOT), port, https, literal);
    }
    int colon = url.indexOf(':', start);
    if (colon >= 0 && colon < end) {
      host = url.substring(start, colon);
      port = url.substring(colon + 1, end);
    } else {
      host = url.substring(start, end);
      port = "";
    }
    if (host.isEmpty()) return INVALID;
    int v4 = IpLiterals.parseIpv4(host);
    byte[] literal = v4 != -1 || host.equals("255.255.255.255") ? AddressRanges.bytes(v4) : null;
    return withPort(host.toLowerCase(Locale.ROOT), port, https, literal);
  }

  private static UrlTarget withPort(String host, String port, boolean https, byte[] literal) {
    int p;
    if (port.isEmpty()) {
      p = https ? 443 : 80;
    } else {
      if (port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) return INVALID;
      p = Integer.parseInt(port);
      if (p < 1 || p > 65535) return INVALID;
    }
    int v4 = literal != null && literal.length == 4 ? AddressRanges.toInt(literal, 0) : 0;
    return new UrlTarget(host, p, literal, v4, true);
  }

  /**
   * The delivery hot path: the host of {@code url} as an IPv4 int when it is a canonical dotted
   * quad with a valid (or no) port, else -1L. Allocation-free; anything unusual returns -1L and
   * goes through {@link #of}.
   */
  public static long plainIpv4(String url) {
    int scheme = url.indexOf("://");
    if (scheme < 0) return -1L;
    int i = scheme + 3;
    int n = url.length();
    long value = 0;
    for (int part = 0; part < 4; part++) {
      if (part > 0) {
        if (i >= n || url.charAt(i) != '.') return -1L;
        i++;
      }
      int start = i;
      int octet = 0;
      while (i < n && i - start < 4 && url.charAt(i) >= '0' && url.charAt(i) <= '9') {
        octet = octet * 10 + (url.charAt(i++) - '0');
      }
      int digits = i - start;
      if (digits == 0 || digits > 3 || octet > 255 || (digits > 1 && url.charAt(start) == '0'))
        return -1L;
      value = (value << 8) | octet;
    }
    if (i < n && url.charAt(i) == ':') {
      int start = ++i;
      int port = 0;
      while (i < n && i - start < 6 && url.charAt(i) >= '0' && url.charAt(i) <= '9') {
        port = port * 10 + (url.charAt(i++) - '0');
      }
      if (i == start || i - start > 5 || port < 1 || port > 65535) return -1L;
    }
    return i == n || "/?#".indexOf(url.charAt(i)) >= 0 ? value : -1L;
  }

  /** True when the host is an IP literal (no lookup needed). */
  public boolean isLiteral() {
    return literal != null;
  }
}
