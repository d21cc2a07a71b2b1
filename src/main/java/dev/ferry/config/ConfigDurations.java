package dev.ferry.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses config durations: Go style plus days ({@code "10s"}, {@code "1h30m"}, {@code "365d"}, {@code "1.5h"},
 * {@code "250ms"}) or ISO-8601 ({@code "PT10S"}). Pure; used by {@link ConfigReader}. Kept private to config on
 * purpose: the API's header durations have different rules (bare integers are seconds there).
 */
final class ConfigDurations {

  // Longer units first so "ms" is not read as "m" followed by garbage.
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h|d)");
  private static final Map<String, Long> UNIT_NANOS = Map.of(
      "ns", 1L, "us", 1_000L, "µs", 1_000L, "ms", 1_000_000L, "s", 1_000_000_000L,
      "m", 60_000_000_000L, "h", 3_600_000_000_000L, "d", 86_400_000_000_000L);

  private ConfigDurations() {}

  /** @throws IllegalArgumentException when {@code text} is not a duration */
  static Duration parse(String text) {
    if (text.equals("0")) {
      return Duration.ZERO; // as in Go: the one unit-less duration
    }
    if (text.startsWith("P") || text.startsWith("-P")) {
      return parseIso(text);
    }
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty duration");
    }
    Matcher part = PART.matcher(text);
    BigDecimal nanos = BigDecimal.ZERO;
    int position = 0;
    while (position < text.length()) {
      part.region(position, text.length());
      if (!part.lookingAt()) {
        throw new IllegalArgumentException("not a duration: " + text);
      }
      nanos = nanos.add(new BigDecimal(part.group(1)).multiply(BigDecimal.valueOf(UNIT_NANOS.get(part.group(2)))));
      position = part.end();
    }
    try {
      return Duration.ofNanos(nanos.setScale(0, RoundingMode.DOWN).longValueExact());
    } catch (ArithmeticException tooLong) {
      throw new IllegalArgumentException("duration too long: " + text, tooLong);
    }
  }

  private static Duration parseIso(String text) {
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not a duration: " + text, e);
    }
  }
}
