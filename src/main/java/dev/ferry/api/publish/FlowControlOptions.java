package dev.ferry.api.publish;

import dev.ferry.api.Durations;
import dev.ferry.error.ApiException;
import dev.ferry.model.FlowControl;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses {@code Upstash-Flow-Control-Key} and {@code Upstash-Flow-Control-Value} ({@code
 * parallelism=<n>, rate=<n>, period=<duration|seconds>}, any subset in any order, at least one of
 * parallelism and rate; period defaults to 1s and is at most a week).
 */
public final class FlowControlOptions {
  public static final String KEY = "upstash-flow-control-key";
  public static final String VALUE = "upstash-flow-control-value";
  private static final int MAX_KEY_LENGTH = 256;

  private FlowControlOptions() {}

  /** The flow control the headers ask for, or null when they name no key. */
  public static FlowControl parse(Map<String, List<String>> headers) {
    String key = trimmed(PublishOptions.single(headers, KEY));
    String value = trimmed(PublishOptions.single(headers, VALUE));
    if (key == null || key.isEmpty()) {
      if (value != null && !value.isEmpty()) {
        throw ApiException.badRequest("Upstash-Flow-Control-Value: needs Upstash-Flow-Control-Key");
      }
      return null;
    }
    if (key.length() > MAX_KEY_LENGTH) {
      throw ApiException.badRequest(
          "Upstash-Flow-Control-Key: at most " + MAX_KEY_LENGTH + " characters");
    }
    if (value == null || value.isEmpty()) {
      throw ApiException.badRequest(
          "Upstash-Flow-Control-Value: required with Upstash-Flow-Control-Key "
              + "(parallelism=<n>, rate=<n>, period=<duration>)");
    }
    return parse(key, value);
  }

  /** Parses a value such as {@code parallelism=3, rate=10, period=1m} for {@code key}. */
  public static FlowControl parse(String key, String value) {
    int parallelism = 0;
    int rate = 0;
    long period = 1;
    for (String part : value.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) continue;
      int eq = p.indexOf('=');
      if (eq < 0) throw bad("\"" + p + "\" is not name=value");
      String name = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String v = p.substring(eq + 1).trim();
      switch (name) {
        case "parallelism" -> parallelism = positive(name, v);
        case "rate" -> rate = positive(name, v);
        case "period" -> period = period(v);
        default -> throw bad("unknown setting \"" + name + "\" (parallelism, rate, period)");
      }
    }
    if (parallelism == 0 && rate == 0) throw bad("set parallelism, rate or both");
    return new FlowControl(key, parallelism, rate, period);
  }

  private static int positive(String name, String v) {
    try {
      int n = Integer.parseInt(v);
      if (n > 0) return n;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw bad(name + " must be a whole number greater than zero, got \"" + v + "\"");
  }

  private static long period(String v) {
    Duration d;
    try {
      d = Durations.parse(v);
    } catch (IllegalArgumentException e) {
      throw bad("period: " + e.getMessage());
    }
    long seconds = d.toSeconds();
    if (seconds < 1 || seconds > FlowControl.MAX_PERIOD_SECONDS) {
      throw bad("period must be between 1s and 7d, got \"" + v + "\"");
    }
    return seconds;
  }

  private static ApiException bad(String message) {
    return ApiException.badRequest("Upstash-Flow-Control-Value: " + message);
  }

  private static String trimmed(String s) {
    return s == null ? null : s.trim();
  }
}
