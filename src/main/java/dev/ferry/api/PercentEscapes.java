package dev.ferry.api;

/**
 * Percent-escapes in a request target: {@code %} must be followed by two hex digits. vertx-web
 * decodes the path to route a request and throws on anything else, before any handler (the token
 * check included) has run; this class finds what it tripped over so the client can be told. Pure
 * and thread-safe.
 */
public final class PercentEscapes {
  private PercentEscapes() {}

  /** True if the {@code %} at {@code percent} starts a well-formed escape. */
  public static boolean isEscape(CharSequence s, int percent) {
    return percent + 2 < s.length() && isHex(s.charAt(percent + 1)) && isHex(s.charAt(percent + 2));
  }

  /**
   * The first malformed escape in {@code s}: the {@code %} and at most two characters after it, as
   * a client may be shown them (characters outside printable ASCII as {@code \}{@code uXXXX}); null
   * if there is none.
   */
  public static String firstMalformed(CharSequence s) {
    if (s == null) return null;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '%' && !isEscape(s, i)) return shown(s, i, Math.min(s.length(), i + 3));
    }
    return null;
  }

  /**
   * {@code invalid percent-escape "%zz" in the <where>}, or null if {@code s} has no malformed
   * escape.
   */
  public static String problem(CharSequence s, String where) {
    String escape = firstMalformed(s);
    return escape == null ? null : "invalid percent-escape \"" + escape + "\" in the " + where;
  }

  private static String shown(CharSequence s, int from, int to) {
    StringBuilder out = new StringBuilder(to - from);
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        out.append(c);
      } else {
        out.append(
            String.format(
                "\\u%04x", (int) c)); // no control character reaches a log line or an answer
      }
    }
    return out.toString();
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
