package dev.ferry.api.publish;

import dev.ferry.config.FerryConfig;
import dev.ferry.ingest.PublishCommand;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Publish commands from kept publish headers, for messages Ferry sends later on a client's behalf
 * (a workflow wait's notification or timeout): the same parsing as a publish to {@code url}.
 */
public final class PublishCommands {
  private PublishCommands() {}

  /**
   * The command a publish of {@code body} to {@code url} with {@code headers} (lower-case names)
   * would make; {@code ApiException} (a 400) when a header is invalid.
   */
  public static PublishCommand of(
      String tenant,
      String url,
      Map<String, List<String>> headers,
      byte[] body,
      String callerIp,
      FerryConfig.Limits limits,
      long nowMillis) {
    PublishOptions options = PublishOptions.parse(headers, false, limits, nowMillis);
    return PublishHandler.Commands.of(tenant, url, null, null, options, body, callerIp);
  }

  /**
   * The publish configuration among {@code headers}: {@code Upstash-*} and {@code Content-Type},
   * names lower-cased; credentials and transport headers are left out.
   */
  public static Map<String, List<String>> configuration(Map<String, List<String>> headers) {
    Map<String, List<String>> kept = new java.util.LinkedHashMap<>();
    headers.forEach(
        (name, values) -> {
          String lower = name.toLowerCase(Locale.ROOT);
          if (lower.startsWith("upstash-") || lower.equals("content-type")) {
            List<String> into = kept.computeIfAbsent(lower, k -> new java.util.ArrayList<>());
            // the SDK sends the run id under two spellings of one name: keep one copy
            for (String v : values) if (!into.contains(v)) into.add(v);
          }
        });
    return kept;
  }

  /**
   * {@link #configuration} of a JSON headers object: {@code {"Name": ["v"]}} or {@code {"Name":
   * "v"}}; numbers and booleans (the SDK sends some flags so) become their text.
   */
  public static Map<String, List<String>> configuration(JsonObject json) {
    Map<String, List<String>> out = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, Object> h : json.getMap().entrySet()) {
      List<String> values = out.computeIfAbsent(h.getKey(), k -> new java.util.ArrayList<>());
      Object value = h.getValue();
      if (value instanceof List<?> list) {
        for (Object v : list) values.add(text(h.getKey(), v));
      } else if (value instanceof io.vertx.core.json.JsonArray array) {
        for (Object v : array) values.add(text(h.getKey(), v));
      } else {
        values.add(text(h.getKey(), value));
      }
    }
    return configuration(out);
  }

  private static String text(String name, Object v) {
    if (v instanceof String s) return s;
    if (v instanceof Number || v instanceof Boolean) return String.valueOf(v);
    throw dev.ferry.error.ApiException.badRequest(
        "headers." + name + ": values must be strings, numbers or booleans");
  }
}
