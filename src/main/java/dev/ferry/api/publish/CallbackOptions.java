package dev.ferry.api.publish;

import dev.ferry.api.DestinationPath;
import dev.ferry.config.FerryConfig;
import dev.ferry.error.ApiException;
import dev.ferry.model.CallbackConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code Upstash-Callback} / {@code Upstash-Failure-Callback} and their configuration
 * headers by QStash's prefix rule: {@code Upstash-Callback-<X>} is read as {@code Upstash-<X>} for
 * the callback message (so {@code Upstash-Callback-Retries}, {@code -Timeout}, {@code -Method},
 * {@code -Retry-Delay}, {@code -Delay}, {@code -Flow-Control-Key/Value}, and {@code
 * -Forward-<Name>} for its headers). Callbacks of a callback are not supported: such headers are
 * ignored.
 */
public final class CallbackOptions {
  public static final String CALLBACK = "upstash-callback";
  public static final String FAILURE_CALLBACK = "upstash-failure-callback";

  private CallbackOptions() {}

  /** The callback configured by {@code Upstash-Callback*}, or null. */
  public static CallbackConfig callback(
      Map<String, List<String>> headers, FerryConfig.Limits limits, long now) {
    return parse(headers, CALLBACK, "Upstash-Callback", limits, now);
  }

  /** The failure callback configured by {@code Upstash-Failure-Callback*}, or null. */
  public static CallbackConfig failureCallback(
      Map<String, List<String>> headers, FerryConfig.Limits limits, long now) {
    return parse(headers, FAILURE_CALLBACK, "Upstash-Failure-Callback", limits, now);
  }

  private static CallbackConfig parse(
      Map<String, List<String>> headers,
      String name,
      String display,
      FerryConfig.Limits limits,
      long now) {
    String url = PublishOptions.single(headers, name);
    if (url == null || url.isBlank()) return null;
    url = url.trim();
    try {
      DestinationPath.validateUrl(url);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(display + ": " + e.getMessage());
    }
    Map<String, List<String>> sub = new LinkedHashMap<>();
    String prefix = name + "-";
    headers.forEach(
        (header, values) -> {
          if (header.startsWith(prefix) && header.length() > prefix.length()) {
            String rest = UpstashHeaders.UPSTASH_PREFIX + header.substring(prefix.length());
            if (!rest.startsWith(CALLBACK) && !rest.startsWith(FAILURE_CALLBACK))
              sub.put(rest, values);
          }
        });
    PublishOptions o;
    try {
      o = PublishOptions.parse(sub, false, limits, now);
    } catch (ApiException e) {
      String m = e.getMessage(); // "Upstash-Retries: …" becomes "Upstash-Callback-Retries: …"
      throw ApiException.badRequest(
          m.startsWith("Upstash-") ? display + "-" + m.substring(8) : display + ": " + m);
    }
    long delay = o.notBefore() > now ? o.notBefore() - now : 0;
    int retries = sub.containsKey(UpstashHeaders.RETRIES) ? o.maxRetries() : -1;
    return new CallbackConfig(
        url,
        o.method(),
        o.headers(),
        retries,
        o.retryDelayExpression(),
        o.timeoutMillis(),
        delay,
        o.flowControl());
  }
}
