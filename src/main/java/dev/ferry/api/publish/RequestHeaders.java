package dev.ferry.api.publish;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the header sources of a publish (HTTP headers, config query parameters, batch JSON) into
 * one lower-case map.
 */
final class RequestHeaders {
  private RequestHeaders() {}

  /**
   * HTTP headers plus {@code upstash-*} query parameters; a header wins over a query parameter of
   * the same name.
   */
  static Map<String, List<String>> of(MultiMap headers, Map<String, String> queryConfig) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : headers) {
      out.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(h.getValue());
    }
    queryConfig.forEach(
        (name, value) -> out.putIfAbsent(name.toLowerCase(Locale.ROOT), List.of(value)));
    return out;
  }

  /** A batch entry's {@code headers} object: string values, or arrays of strings. */
  static Map<String, List<String>> of(JsonObject json) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (json == null) return out;
    for (Map.Entry<String, Object> h :
        json.getMap().entrySet()) { // raw values: the iterator would wrap each again
      String name = h.getKey().toLowerCase(Locale.ROOT);
      Object value = h.getValue();
      List<String> values = out.computeIfAbsent(name, k -> new ArrayList<>());
      if (value instanceof String s) {
        values.add(s);
      } else if (value instanceof JsonArray array) {
        for (Object v : array) {
          if (!(v instanceof String s))
            throw new IllegalArgumentException(
                "headers." + h.getKey() + ": values must be strings");
          values.add(s);
        }
      } else if (value instanceof Number || value instanceof Boolean) {
        values.add(String.valueOf(value));
      } else {
        throw new IllegalArgumentException("headers." + h.getKey() + ": value must be a string");
      }
    }
    return out;
  }
}
