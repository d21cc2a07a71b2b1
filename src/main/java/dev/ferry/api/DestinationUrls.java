package dev.ferry.api;

import static dev.ferry.api.DestinationPath.BAD_SCHEME;
import static dev.ferry.api.DestinationPath.INVALID;
import static dev.ferry.api.DestinationPath.MAX_URL_LENGTH;
import static dev.ferry.api.DestinationPath.shown;

import dev.ferry.egress.IpLiterals;
import java.net.URI;
import java.net.URISyntaxException;

/** The rules of {@link DestinationPath#validateUrl}: what an acceptable http(s) URL looks like. */
final class DestinationUrls {
  private DestinationUrls() {}

  static String validate(String url) {
    if (url == null || url.isEmpty()) {
      throw new IllegalArgumentException(INVALID + "endpoint is empty");
    }
    if (url.length() > MAX_URL_LENGTH) {
      throw new IllegalArgumentException(
          INVALID + "endpoint is longer than " + MAX_URL_LENGTH + " characters");
    }
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c <= 0x20 || c == 0x7f) {
        throw new IllegalArgumentException(
            INVALID + "endpoint contains whitespace or control characters");
      }
      if (c > 0x7e) {
        throw new IllegalArgumentException(
            INVALID
                + "endpoint contains non-ASCII characters; percent-encode them (and use punycode for hosts)");
      }
    }
    int hash = url.indexOf('#');
    String u = hash < 0 ? url : url.substring(0, hash);
    int schemeEnd = u.indexOf("://");
    if (schemeEnd < 0) {
      throw new IllegalArgumentException(BAD_SCHEME);
    }
    String scheme = u.substring(0, schemeEnd);
    if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
      throw new IllegalArgumentException(BAD_SCHEME);
    }
    int authorityStart = schemeEnd + 3;
    int authorityEnd = authorityStart;
    while (authorityEnd < u.length()
        && u.charAt(authorityEnd) != '/'
        && u.charAt(authorityEnd) != '?') {
      authorityEnd++;
    }
    checkAuthority(u.substring(authorityStart, authorityEnd));
    checkPathAndQuery(u.substring(authorityEnd));
    // Belt and braces: java.net.URI must accept what we accept, once the characters Go and the
    // delivery
    // client tolerate in path and query (but URI does not) are escaped in a throw-away copy.
    try {
      new URI(u.substring(0, authorityEnd) + escapeForUri(u.substring(authorityEnd)));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(INVALID + e.getReason());
    }
    return u;
  }

  private static void checkAuthority(String authority) {
    if (authority.indexOf('@') >= 0) {
      throw new IllegalArgumentException(
          INVALID
              + "endpoint must not contain credentials (user:password@); use Upstash-Forward-Authorization instead");
    }
    if (authority.isEmpty()) {
      throw new IllegalArgumentException(INVALID + "endpoint has no host");
    }
    String port;
    if (authority.charAt(0) == '[') {
      int close = authority.indexOf(']');
      if (close < 0
          || !isIpv6Literal(authority.substring(0, close + 1))
          || IpLiterals.parse(authority.substring(1, close)) == null) {
        throw new IllegalArgumentException(INVALID + "endpoint has an invalid IPv6 host");
      }
      String after = authority.substring(close + 1);
      if (!after.isEmpty() && after.charAt(0) != ':') {
        throw new IllegalArgumentException(INVALID + "endpoint has an invalid IPv6 host");
      }
      port = after.isEmpty() ? "" : after.substring(1);
    } else {
      int colon = authority.indexOf(':');
      String host = colon < 0 ? authority : authority.substring(0, colon);
      port = colon < 0 ? "" : authority.substring(colon + 1);
      if (!isHostName(host)) {
        throw new IllegalArgumentException(
            INVALID + "endpoint has an invalid host \"" + shown(host) + "\"");
      }
      if (IpLiterals.isAmbiguousIpv4(host)) {
        // 2130706433, 0x7f.1, 017700000001, 127.1: parsers disagree on whether these are addresses
        // (an SSRF bypass)
        throw new IllegalArgumentException(
            INVALID
                + "endpoint host \""
                + shown(host)
                + "\" reads as an IP address but is not written as four decimal numbers a.b.c.d; write it that way");
      }
    }
    if (!port.isEmpty() && !isPort(port)) {
      throw new IllegalArgumentException(
          INVALID + "endpoint has an invalid port \"" + shown(port) + "\"");
    }
  }

  /**
   * DNS name or IPv4 address; underscores allowed (docker-compose service names), empty labels not.
   */
  private static boolean isHostName(String host) {
    if (host.isEmpty() || host.charAt(0) == '.' || host.contains("..")) {
      return false;
    }
    return DestinationPath.onlyNameCharacters(host);
  }

  private static boolean isIpv6Literal(String bracketed) {
    try {
      return new URI("http://" + bracketed + "/").getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static boolean isPort(String port) {
    if (port.length() > 5) {
      return false;
    }
    for (int i = 0; i < port.length(); i++) {
      if (port.charAt(i) < '0' || port.charAt(i) > '9') {
        return false;
      }
    }
    int value = Integer.parseInt(port);
    return value >= 1 && value <= 65535;
  }

  /**
   * Go's url.Parse rejects a malformed {@code %} escape in the path but not in the query; so do we.
   */
  private static void checkPathAndQuery(String pathAndQuery) {
    int question = pathAndQuery.indexOf('?');
    int pathEnd = question < 0 ? pathAndQuery.length() : question;
    for (int i = 0; i < pathEnd; i++) {
      if (pathAndQuery.charAt(i) == '%' && !PercentEscapes.isEscape(pathAndQuery, i)) {
        throw new IllegalArgumentException(INVALID + "endpoint path has a malformed %-escape");
      }
    }
  }

  private static String escapeForUri(String pathAndQuery) {
    StringBuilder out = new StringBuilder(pathAndQuery.length() + 16);
    for (int i = 0; i < pathAndQuery.length(); i++) {
      char c = pathAndQuery.charAt(i);
      if ("\"<>\\^`{|}[]".indexOf(c) >= 0
          || (c == '%' && !PercentEscapes.isEscape(pathAndQuery, i))) {
        out.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
