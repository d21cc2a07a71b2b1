package dev.ferry.config;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * How config values appear in error messages; secrets (tokens, signing keys) are never echoed. Pure
 * helpers.
 */
final class ConfigValues {

  private static final Set<String> SECRET_KEYS =
      Set.of("tokens", "currentSigningKey", "nextSigningKey", "password", "endpoints");

  private ConfigValues() {}

  /** Whether the value at {@code path} is a credential that must not appear in logs. */
  static boolean isSecret(ConfigPath path) {
    return SECRET_KEYS.contains(path.lastKey());
  }

  /**
   * The value as JSON ({@code "abc"}, {@code 12}, {@code null}), or only its kind when it is a
   * secret.
   */
  static String describe(Object value, boolean secret) {
    if (secret && value != null) {
      return kind(value);
    }
    if (value == null) {
      return "null";
    }
    String json = Json.encode(value);
    return json.length() <= 80 ? json : json.substring(0, 77) + "...";
  }

  private static String kind(Object value) {
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Number) {
      return "a number";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    if (value instanceof JsonArray) {
      return "a list";
    }
    if (value instanceof JsonObject) {
      return "an object";
    }
    return "a value";
  }
}
