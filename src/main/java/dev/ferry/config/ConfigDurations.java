package dev.ferry.config;

import dev.ferry.model.GoDuration;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * Parses config durations: Go style plus days ({@code "10s"}, {@code "1h30m"}, {@code "365d"},
 * {@code "1.5h"}, {@code "250ms"}) or ISO-8601 ({@code "PT10S"}). Pure; used by {@link
 * ConfigReader}. The Go form is read by the shared {@link GoDuration} in a stricter dialect than
 * the API's header durations (where bare integers are seconds, too).
 */
final class ConfigDurations {

  /**
   * Both sides of a decimal point need digits here, the Greek mu is not a micro, every digit counts
   * (exact decimal arithmetic), and the cap is what fits a long.
   */
  private static final GoDuration.Dialect DIALECT =
      new GoDuration.Dialect(true, false, false, true, Long.MAX_VALUE);

  private ConfigDurations() {}

  /**
   * @throws IllegalArgumentException when {@code text} is not a duration
   */
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
    try {
      return Duration.ofNanos(GoDuration.parse(text, 0, DIALECT).nanos());
    } catch (GoDuration.Invalid e) {
      // A malformed value is "not a duration" even when a number in it is also too long: with every
      // number read as
      // 0, only the form is checked.
      if (e.problem() == GoDuration.Problem.TOO_LARGE && wellFormed(text)) {
        throw new IllegalArgumentException("duration too long: " + text);
      }
      throw new IllegalArgumentException("not a duration: " + text);
    }
  }

  private static boolean wellFormed(String text) {
    try {
      GoDuration.parse(text.replaceAll("[0-9]+", "0"), 0, DIALECT);
      return true;
    } catch (GoDuration.Invalid e) {
      return false;
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
