package dev.ferry.model;

/**
 * Header-name canonicalisation (Go's {@code textproto.CanonicalMIMEHeaderKey}) and header
 * name/value checks that refuse header injection (docs/compatibility.md#forwarded-headers). Pure
 * and thread-safe; used by the API layer when storing forwarded headers and building header maps
 * for JSON output.
 *
 * <p>QStash is a Go service: header maps it returns and headers it forwards use Go's canonical form
 * ({@code Test-Header}, {@code X-Ratelimit-Reset}), so we reproduce that function exactly,
 * including its refusal to touch names that are not valid tokens.
 *
 * <p>Decision on values: {@link #isValidValue} is about framing safety only. It rejects NUL, CR,
 * LF, the other C0 controls except horizontal tab, and DEL. Characters from U+0080 up (RFC 9110
 * obs-text, or decoded UTF-8) are allowed; how they are encoded on the wire is the sender's
 * business.
 */
public final class HeaderNames {
  /** RFC 7230 {@code tchar}: {@code !#$%&'*+-.^_`|~}, digits and letters, ASCII only. */
  private static final boolean[] TOKEN = new boolean[128];

  static {
    for (char c = '0'; c <= '9'; c++) {
      TOKEN[c] = true;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      TOKEN[c] = true;
      TOKEN[c - 'a' + 'A'] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TOKEN[c] = true;
    }
  }

  private HeaderNames() {}

  /**
   * Go's {@code CanonicalMIMEHeaderKey}: the first letter and every letter after a {@code -}
   * upper-case, all other letters lower-case ({@code content-type} → {@code Content-Type}, {@code
   * x-ratelimit-reset} → {@code X-Ratelimit-Reset}). If the name contains a space or any character
   * that is not a token character (including any non-ASCII character), it is returned unchanged, as
   * Go does. Null stays null.
   */
  public static String canonical(String name) {
    if (name == null) {
      return null;
    }
    boolean upper = true;
    boolean changes = false;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!isTokenChar(c)) {
        return name; // Go leaves invalid (or space-containing) keys untouched
      }
      if ((upper && c >= 'a' && c <= 'z') || (!upper && c >= 'A' && c <= 'Z')) {
        changes = true;
      }
      upper = c == '-';
    }
    if (!changes) {
      return name; // already canonical: no allocation on the common path
    }
    char[] out = name.toCharArray();
    upper = true;
    for (int i = 0; i < out.length; i++) {
      char c = out[i];
      if (upper && c >= 'a' && c <= 'z') {
        c = (char) (c - 'a' + 'A');
      } else if (!upper && c >= 'A' && c <= 'Z') {
        c = (char) (c - 'A' + 'a');
      }
      out[i] = c;
      upper = c == '-';
    }
    return new String(out);
  }

  /** True if {@code name} is a non-empty RFC 7230 token (the only legal header field names). */
  public static boolean isValidName(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (!isTokenChar(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * True if {@code value} cannot break HTTP/1.1 framing: no NUL, CR or LF, no other C0 control
   * except horizontal tab, no DEL. The empty string is a valid value. Null is not.
   */
  public static boolean isValidValue(String value) {
    if (value == null) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        return false;
      }
    }
    return true;
  }

  private static boolean isTokenChar(char c) {
    return c < 128 && TOKEN[c];
  }
}
