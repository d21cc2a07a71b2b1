package dev.ferry.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The path of a key in the config tree, printed as {@code tenants[0].tokens} in messages and as
 * {@code FERRY_TENANTS_0_TOKENS} for environment overrides; used by the reader, the schema and
 * {@link EnvOverrides}.
 *
 * @param segments keys ({@link String}) and array indexes ({@link Integer}), outermost first
 */
record ConfigPath(List<Object> segments) {

  static final ConfigPath ROOT = new ConfigPath(List.of());
  static final String ENV_PREFIX = "FERRY_";

  ConfigPath {
    segments = List.copyOf(segments);
  }

  ConfigPath key(String key) {
    return append(key);
  }

  ConfigPath index(int index) {
    return append(index);
  }

  private ConfigPath append(Object segment) {
    List<Object> longer = new ArrayList<>(segments);
    longer.add(segment);
    return new ConfigPath(longer);
  }

  /** The last key of this path, ignoring indexes; {@code ""} for the root. */
  String lastKey() {
    for (int i = segments.size() - 1; i >= 0; i--) {
      if (segments.get(i) instanceof String key) {
        return key;
      }
    }
    return "";
  }

  /** {@code FERRY_} + segments in UPPER_SNAKE joined by {@code _}; camelCase splits into words. */
  String envName() {
    StringBuilder name = new StringBuilder(ENV_PREFIX);
    for (int i = 0; i < segments.size(); i++) {
      if (i > 0) {
        name.append('_');
      }
      Object segment = segments.get(i);
      name.append(segment instanceof String key ? upperSnake(key) : segment.toString());
    }
    return name.toString();
  }

  static String upperSnake(String camel) {
    StringBuilder out = new StringBuilder(camel.length() + 8);
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c) && i > 0) {
        out.append('_');
      }
      out.append(Character.toUpperCase(c));
    }
    return out.toString();
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (Object segment : segments) {
      if (segment instanceof Integer index) {
        out.append('[').append(index).append(']');
      } else {
        if (out.length() > 0) {
          out.append('.');
        }
        out.append(segment);
      }
    }
    return out.toString();
  }
}
