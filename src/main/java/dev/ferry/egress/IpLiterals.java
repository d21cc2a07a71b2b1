package dev.ferry.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Strict parsing of IP address literals, without DNS: canonical dotted-quad IPv4 and IPv6 (RFC 4291
 * text forms, including a trailing dotted quad). Also spots hosts that some parser would read as an
 * IPv4 address although they are not canonical dotted quads ({@code 2130706433}, {@code 0x7f.1},
 * {@code 017700000001}, {@code 127.1}, {@code 127.000.0.1}): WHATWG URL parsers, {@code inet_aton}
 * and many resolvers turn them into addresses while others treat them as names, which is exactly
 * the validator/client confusion SSRF filters get bypassed with. Pure.
 */
public final class IpLiterals {
  private IpLiterals() {}

  /** The 4 or 16 address bytes of a literal (IPv6 without brackets), or null if it is not one. */
  public static byte[] parse(String s) {
    if (s == null || s.isEmpty()) return null;
    if (s.indexOf(':') >= 0) return parseIpv6(s);
    int v4 = parseIpv4(s);
    return v4 == -1 && !s.equals("255.255.255.255") ? null : AddressRanges.bytes(v4);
  }

  /**
   * A canonical dotted quad as an int (e.g. {@code 0x7f000001}), or -1 if {@code s} is not one:
   * four decimal parts 0-255 without leading zeros. (255.255.255.255 is also -1; {@link #parse}
   * tells them apart.)
   */
  public static int parseIpv4(String s) {
    int value = 0;
    int parts = 0;
    int i = 0;
    int n = s.length();
    while (i <= n) {
      int start = i;
      int part = 0;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        part = part * 10 + (s.charAt(i) - '0');
        if (part > 255 || i - start >= 3) return -1;
        i++;
      }
      int digits = i - start;
      if (digits == 0 || (digits > 1 && s.charAt(start) == '0')) return -1;
      value = (value << 8) | part;
      parts++;
      if (i == n) break;
      if (s.charAt(i) != '.' || parts == 4) return -1;
      i++;
    }
    return parts == 4 ? value : -1;
  }

  private static byte[] parseIpv6(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= '0' && c <= '9')
              || (c >= 'a' && c <= 'f')
              || (c >= 'A' && c <= 'F')
              || c == ':'
              || c == '.';
      if (!ok) return null; // no zone ids (%eth0), no names: nothing here may reach DNS
    }
    try {
      // Only a literal can get here, so this never resolves. Java unwraps ::ffff:a.b.c.d to its
      // IPv4 address.
      return InetAddress.getByName(s).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /**
   * True when {@code host} (a URL host, not bracketed) would be read as an IPv4 address by a WHATWG
   * URL parser — its last label is a number (decimal, {@code 0x} hex, or octal with a leading 0) —
   * but is not a canonical dotted quad. A trailing dot counts ({@code 127.0.0.1.} resolves to
   * loopback with most resolvers).
   */
  public static boolean isAmbiguousIpv4(String host) {
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (h.isEmpty()) return false;
    int dot = h.lastIndexOf('.');
    String last = h.substring(dot + 1);
    if (!isNumber(last)) return false;
    return host.endsWith(".") || parseIpv4(h) == -1 && !h.equals("255.255.255.255");
  }

  private static boolean isNumber(String label) {
    if (label.isEmpty()) return false;
    int start = 0;
    boolean hex =
        label.length() >= 2
            && label.charAt(0) == '0'
            && (label.charAt(1) == 'x' || label.charAt(1) == 'X');
    if (hex) start = 2;
    for (int i = start; i < label.length(); i++) {
      char c = label.charAt(i);
      boolean digit = c >= '0' && c <= '9';
      boolean hexDigit = digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (hex ? !hexDigit : !digit) return false;
    }
    return true;
  }
}
