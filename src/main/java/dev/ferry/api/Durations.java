package dev.ferry.api;

import java.math.BigInteger;
import java.time.Duration;

/**
 * Parses QStash duration header values ({@code Upstash-Delay}, {@code Upstash-Timeout}, callback variants,
 * flow-control {@code period}). Pure and thread-safe; called by the API layer while parsing a request.
 *
 * <p>Accepted (docs/compatibility.md#durations, including the decisions where QStash is silent):
 * <ul>
 *   <li>Go {@code time.ParseDuration} syntax: a sequence of {@code <number><unit>} such as {@code 1h30m},
 *       {@code 1.5h}, {@code 300ms}, {@code .5s}; units {@code ns}, {@code us}, {@code µs} (U+00B5),
 *       {@code μs} (U+03BC), {@code ms}, {@code s}, {@code m}, {@code h}, plus {@code d} = 24h
 *       (QStash documents {@code 1d10h30m}). Units are case-sensitive, as in Go.</li>
 *   <li>A bare non-negative integer means seconds ({@code "60"}), as Upstash's own docs use it.
 *       A bare decimal ({@code "1.5"}) is rejected: Go requires a unit there.</li>
 *   <li>A leading {@code +} is accepted (Go does); {@code -} is rejected: delays cannot be negative.</li>
 *   <li>Leading/trailing spaces and tabs are trimmed (HTTP optional whitespace); any whitespace inside is an
 *       error ({@code "20 s"}), as the JS SDK's type forbids it.</li>
 *   <li>Only ASCII digits; other Unicode digits are rejected explicitly.</li>
 *   <li>Values above {@link #MAX} (36 500 days, ~100 years) are rejected; plan limits such as "max delay"
 *       are the caller's business.</li>
 *   <li>Inputs longer than {@link #MAX_LENGTH} characters are rejected before parsing. Precision is the
 *       nanosecond; fractional digits beyond the 18th are ignored (truncated), like Go drops them.</li>
 * </ul>
 * Parsing is a single left-to-right pass; every error is an {@link IllegalArgumentException} whose message is
 * safe to return in a 400 body.
 */
public final class Durations {
  /** Largest accepted duration: 36 500 days. */
  public static final Duration MAX = Duration.ofDays(36_500);
  /** Longest accepted input (after trimming). Real values are a handful of characters. */
  public static final int MAX_LENGTH = 64;

  private static final long MAX_NANOS = MAX.toNanos();
  private static final int MAX_FRACTION_DIGITS = 18;
  private static final long NS = 1L;
  private static final long US = 1_000L;
  private static final long MS = 1_000_000L;
  private static final long S = 1_000_000_000L;
  private static final long M = 60 * S;
  private static final long H = 60 * M;
  private static final long D = 24 * H;

  private Durations() {}

  /**
   * Parses a duration header value.
   *
   * @throws IllegalArgumentException naming the problem (empty, negative, space, unknown unit, too large, ...)
   */
  public static Duration parse(String value) {
    if (value == null) {
      throw new IllegalArgumentException("invalid duration: value is empty");
    }
    String s = trim(value);
    if (s.isEmpty()) {
      throw new IllegalArgumentException("invalid duration: value is empty");
    }
    if (s.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("invalid duration: value is longer than " + MAX_LENGTH + " characters");
    }
    checkCharacters(s);
    int i = 0;
    if (s.charAt(0) == '-') {
      throw error(s, "negative durations are not allowed");
    }
    if (s.charAt(0) == '+') {
      i = 1;
      if (s.length() == 1) {
        throw error(s, "missing number");
      }
    }
    if (allDigits(s, i)) {
      return Duration.ofSeconds(bareSeconds(s, i));
    }
    return Duration.ofNanos(parseGo(s, i));
  }

  private static String trim(String value) {
    int start = 0;
    int end = value.length();
    while (start < end && isOws(value.charAt(start))) {
      start++;
    }
    while (end > start && isOws(value.charAt(end - 1))) {
      end--;
    }
    return value.substring(start, end);
  }

  private static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }

  /** Rejects whitespace, control characters and non-ASCII digits up front, with a precise message. */
  private static void checkCharacters(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        throw error(s, "must not contain spaces");
      }
      if (Character.isISOControl(c)) {
        throw new IllegalArgumentException("invalid duration: contains a control character");
      }
      if (c > 0x7f && Character.isDigit(c)) {
        throw error(s, "only ASCII digits 0-9 are allowed");
      }
    }
  }

  private static boolean allDigits(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      if (!isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static long bareSeconds(String s, int from) {
    long seconds = 0;
    long maxSeconds = MAX.getSeconds();
    for (int i = from; i < s.length(); i++) {
      seconds = seconds * 10 + (s.charAt(i) - '0');
      if (seconds > maxSeconds) {
        throw tooLarge(s);
      }
    }
    return seconds;
  }

  /** Go's ParseDuration loop, in exact integer nanoseconds, plus the {@code d} unit. */
  private static long parseGo(String s, int start) {
    long total = 0;
    int i = start;
    int n = s.length();
    while (i < n) {
      // integer part
      int intStart = i;
      long whole = 0;
      while (i < n && isDigit(s.charAt(i))) {
        int digit = s.charAt(i) - '0';
        if (whole > (MAX_NANOS - digit) / 10) {
          throw tooLarge(s); // even in nanoseconds this is over the cap; checked before it can overflow
        }
        whole = whole * 10 + digit;
        i++;
      }
      boolean hasWhole = i > intStart;
      // fraction part
      long fraction = 0;
      int fractionDigits = 0;
      boolean hasFraction = false;
      if (i < n && s.charAt(i) == '.') {
        i++;
        int fracStart = i;
        while (i < n && isDigit(s.charAt(i))) {
          if (fractionDigits < MAX_FRACTION_DIGITS) {
            fraction = fraction * 10 + (s.charAt(i) - '0');
            fractionDigits++;
          }
          i++;
        }
        hasFraction = i > fracStart;
      }
      if (!hasWhole && !hasFraction) {
        throw error(s, "expected a number at position " + (i + 1));
      }
      // unit: everything up to the next digit or '.', as Go scans it
      int unitStart = i;
      while (i < n && s.charAt(i) != '.' && !isDigit(s.charAt(i))) {
        i++;
      }
      if (i == unitStart) {
        throw error(s, "missing unit (use ns, us, ms, s, m, h or d)");
      }
      String unitText = s.substring(unitStart, i);
      long unit = unitNanos(unitText);
      if (unit == 0) {
        throw error(s, "unknown unit \"" + unitText + "\" (use ns, us, ms, s, m, h or d)");
      }
      if (whole > MAX_NANOS / unit) {
        throw tooLarge(s);
      }
      long part = whole * unit;
      if (fractionDigits > 0) {
        // exact: fraction * unit / 10^digits, both factors bounded, so BigInteger stays tiny
        part += BigInteger.valueOf(fraction).multiply(BigInteger.valueOf(unit))
            .divide(BigInteger.TEN.pow(fractionDigits)).longValueExact();
      }
      total += part;
      if (part > MAX_NANOS || total > MAX_NANOS) {
        throw tooLarge(s);
      }
    }
    return total;
  }

  private static long unitNanos(String unit) {
    switch (unit) {
      case "ns": return NS;
      case "us":
      case "\u00b5s": // micro sign
      case "\u03bcs": // Greek small letter mu
        return US;
      case "ms": return MS;
      case "s": return S;
      case "m": return M;
      case "h": return H;
      case "d": return D;
      default: return 0;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static IllegalArgumentException tooLarge(String s) {
    return error(s, "duration is too large (max " + MAX.toDays() + "d)");
  }

  private static IllegalArgumentException error(String s, String problem) {
    return new IllegalArgumentException("invalid duration \"" + s + "\": " + problem);
  }
}
