package dev.ferry.api.publish;

import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the header sources of a publish (HTTP headers, config query parameters) into one lower-case
 * map; a batch entry's {@code headers} object is read by {@link BatchJson}.
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
}
