package dev.ferry.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One object of the config tree and its path, for the section readers ({@link ConfigReader} and the
 * {@code *Reader} classes beside it). Each getter records a problem, worded for the operator and
 * naming the key path, and returns a harmless stand-in if the value is bad, so that every problem
 * is found in one pass.
 */
final class ConfigSection {
  /** The largest int, as a bound for {@link #intIn} and {@link #longIn}. */
  static final long MAX_INT = Integer.MAX_VALUE;

  final JsonObject json;
  final ConfigPath path;
  private final List<String> problems;

  ConfigSection(JsonObject json, ConfigPath path, List<String> problems) {
    this.json = json;
    this.path = path;
    this.problems = problems;
  }

  /** A nested section, e.g. {@code http.tls}. */
  ConfigSection child(String key) {
    return new ConfigSection(json.getJsonObject(key), path.key(key), problems);
  }

  Object raw(String key) {
    return json.getValue(key);
  }

  void problem(String key, String text) {
    problems.add(path.key(key) + ": " + text);
  }

  /**
   * Problems found so far in the whole tree; a reader compares it before and after reading its keys
   * to run cross-key checks only on a clean section.
   */
  int problemCount() {
    return problems.size();
  }

  private String got(String key) {
    return ", got " + ConfigValues.describe(raw(key), ConfigValues.isSecret(path.key(key)));
  }

  String string(String key) {
    if (raw(key) instanceof String value) {
      return value;
    }
    problem(key, "must be a string" + got(key));
    return "";
  }

  String nonEmptyString(String key) {
    String value = string(key);
    if (raw(key) instanceof String && value.isBlank()) {
      problem(key, "must not be empty");
    }
    return value;
  }

  boolean bool(String key) {
    if (raw(key) instanceof Boolean value) {
      return value;
    }
    problem(key, "must be true or false" + got(key));
    return false;
  }

  /** One of the given strings (the first is the stand-in when bad). */
  String oneOf(String key, List<String> allowed) {
    String value = string(key);
    if (raw(key) instanceof String && !allowed.contains(value)) {
      problem(
          key,
          "must be one of "
              + String.join(", ", allowed.stream().map(a -> "\"" + a + "\"").toList())
              + got(key));
      return allowed.get(0);
    }
    return raw(key) instanceof String ? value : allowed.get(0);
  }

  int intIn(String key, long min, long max) {
    return (int) longIn(key, min, max);
  }

  long longIn(String key, long min, long max) {
    Object value = raw(key);
    boolean integral =
        value instanceof Integer || value instanceof Long || value instanceof BigInteger;
    if (integral
        && new BigInteger(value.toString()).compareTo(BigInteger.valueOf(min)) >= 0
        && new BigInteger(value.toString()).compareTo(BigInteger.valueOf(max)) <= 0) {
      return ((Number) value).longValue();
    }
    if (integral
        && new BigInteger(value.toString()).compareTo(BigInteger.valueOf(min)) >= 0
        && max >= MAX_INT) {
      problem(key, "must be at most " + max + got(key));
      return min;
    }
    String expected =
        min == 1 && max >= MAX_INT
            ? "a positive integer"
            : min == 0 && max >= MAX_INT
                ? "a non-negative integer"
                : "an integer in " + min + ".." + max;
    problem(key, "must be " + expected + got(key));
    return min;
  }

  Duration duration(String key, boolean positive) {
    Object value = raw(key);
    if (value instanceof String text) {
      try {
        Duration duration = ConfigDurations.parse(text);
        if (duration.isNegative() || (positive && duration.isZero())) {
          problem(
              key,
              "must be a " + (positive ? "positive" : "non-negative") + " duration" + got(key));
          return Duration.ofSeconds(1);
        }
        return duration;
      } catch (IllegalArgumentException bad) {
        // fall through to the common message
      }
    }
    problem(
        key,
        "must be a duration such as \"10s\", \"15m\", \"2h\", \"365d\" or \"1h30m\"" + got(key));
    return Duration.ofSeconds(1);
  }

  Path fsPath(String key) {
    String value = nonEmptyString(key);
    try {
      return Path.of(value);
    } catch (InvalidPathException bad) {
      problem(key, "is not a valid path (" + bad.getReason() + ")" + got(key));
      return Path.of(".");
    }
  }

  /** A list of non-blank strings. */
  List<String> strings(String key) {
    if (!(raw(key) instanceof JsonArray list)) {
      problem(key, "must be a list of strings" + got(key));
      return List.of();
    }
    List<String> values = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object item = list.getValue(i);
      ConfigPath itemPath = path.key(key).index(i);
      if (!(item instanceof String text)) {
        problems.add(
            itemPath
                + ": must be a string, got "
                + ConfigValues.describe(item, ConfigValues.isSecret(itemPath)));
      } else if (text.isBlank()) {
        problems.add(itemPath + ": must not be empty");
      } else {
        values.add(text);
      }
    }
    return values;
  }
}
