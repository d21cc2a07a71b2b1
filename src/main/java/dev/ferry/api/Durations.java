package dev.ferry.api;

import dev.ferry.model.GoDuration;
import java.time.Duration;

/**
 * Parses QStash duration header values ({@code Upstash-Delay}, {@code Upstash-Timeout}, callback
 * variants, flow-control {@code period}). Pure and thread-safe; called by the API layer while
 * parsing a request.
 *
 * <p>Accepted (docs/compatibility.md#durations, including the decisions where QStash is silent):
 *
 * <ul>
 *   <li>Go {@code time.ParseDuration} syntax: a sequence of {@code <number><unit>} such as {@code
 *       1h30m}, {@code 1.5h}, {@code 300ms}, {@code .5s}; units {@code ns}, {@code us}, {@code µs}
 *       (U+00B5), {@code μs} (U+03BC), {@code ms}, {@code s}, {@code m}, {@code h}, plus {@code d}
 *       = 24h (QStash documents {@code 1d10h30m}). Units are case-sensitive, as in Go.
 *   <li>A bare non-negative integer means seconds ({@code "60"}), as Upstash's own docs use it. A
 *       bare decimal ({@code "1.5"}) is rejected: Go requires a unit there.
 *   <li>A leading {@code +} is accepted (Go does); {@code -} is rejected: delays cannot be
 *       negative.
 *   <li>Leading/trailing spaces and tabs are trimmed (HTTP optional whitespace); any whitespace
 *       inside is an error ({@code "20 s"}), as the JS SDK's type forbids it.
 *   <li>Only ASCII digits; other Unicode digits are rejected explicitly.
 *   <li>Values above {@link #MAX} (36 500 days, ~100 years) are rejected; plan limits such as "max
 *       delay" are the caller's business.
 *   <li>Inputs longer than {@link #MAX_LENGTH} characters are rejected before parsing. Precision is
 *       the nanosecond; fractional digits beyond the 18th are ignored (truncated), like Go drops
 *       them.
 * </ul>
 *
 * The Go form is read by the shared {@link GoDuration}; every error is an {@link
 * IllegalArgumentException} whose message is safe to return in a 400 body.
 */
public final class Durations {
  /** Largest accepted duration: 36 500 days. */
  public static final Duration MAX = Duration.ofDays(36_500);

  /** Longest accepted input (after trimming). Real values are a handful of characters. */
  public static final int MAX_LENGTH = 64;

  private static final GoDuration.Dialect DIALECT =
      new GoDuration.Dialect(true, true, true, false, MAX.toNanos());

  private Durations() {}

  /**
   * Parses a duration header value.
   *
   * @throws IllegalArgumentException naming the problem (empty, negative, space, unknown unit, too
   *     large, ...)
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
      throw new IllegalArgumentException(
          "invalid duration: value is longer than " + MAX_LENGTH + " characters");
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

  /**
   * Rejects whitespace, control characters and non-ASCII digits up front, with a precise message.
   */
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

  /** Go's ParseDuration, plus the {@code d} unit, in this API's words. */
  private static long parseGo(String s, int start) {
    try {
      return GoDuration.parse(s, start, DIALECT).nanos();
    } catch (GoDuration.Invalid e) {
      switch (e.problem()) {
        case EXPECTED_NUMBER:
          throw error(s, "expected a number at position " + e.position());
        case MISSING_UNIT:
          throw error(s, "missing unit (use ns, us, ms, s, m, h or d)");
        case UNKNOWN_UNIT:
          throw error(s, "unknown unit \"" + e.unit() + "\" (use ns, us, ms, s, m, h or d)");
        default:
          throw tooLarge(s);
      }
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
