package dev.ferry.api.publish;

import dev.ferry.api.Durations;
import dev.ferry.config.FerryConfig;
import dev.ferry.error.ApiException;
import dev.ferry.model.CallbackConfig;
import dev.ferry.model.FlowControl;
import dev.ferry.model.HeaderNames;
import dev.ferry.model.RetryDelayExpression;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The publish configuration of one request or batch entry, parsed once at the edge from its headers
 * (names case-insensitive, lower-cased by the caller) — after this, code works with numbers and
 * maps, never header strings.
 *
 * @param method HTTP method toward the destination
 * @param headers headers for the destination: Content-Type plus forwarded ones, canonical names
 * @param maxRetries retries after the first attempt
 * @param retryDelayExpression the validated expression source, or null
 * @param timeoutMillis per-attempt timeout, 0 = configured default
 * @param notBefore Unix ms of the first attempt, 0 = immediately
 * @param labels labels in order
 * @param deduplicationId {@code Upstash-Deduplication-Id}, or null
 * @param contentBasedDedup {@code Upstash-Content-Based-Deduplication: true} (any case)
 * @param callback {@code Upstash-Callback} and its {@code Upstash-Callback-*} configuration, or
 *     null
 * @param failureCallback {@code Upstash-Failure-Callback} and its configuration, or null
 * @param flowControl {@code Upstash-Flow-Control-Key/-Value}, or null
 * @param redactFields normalised {@code Upstash-Redact-Fields} (see {@link RedactFields}), or null
 */
public record PublishOptions(
    String method,
    Map<String, List<String>> headers,
    int maxRetries,
    String retryDelayExpression,
    long timeoutMillis,
    long notBefore,
    List<String> labels,
    String deduplicationId,
    boolean contentBasedDedup,
    CallbackConfig callback,
    CallbackConfig failureCallback,
    FlowControl flowControl,
    String redactFields) {

  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

  /**
   * Anything above this as "Unix seconds" is a millisecond timestamp by mistake (year ~5138 in
   * seconds).
   */
  private static final long NOT_BEFORE_SECONDS_MAX = 99_999_999_999L;

  /**
   * Parses the configuration headers.
   *
   * @param headers request headers: lower-case name → values in arrival order (query-string config
   *     included)
   * @param enqueue true for enqueue (and batch entries with a queue), where delays are refused
   * @param limits the configured limits
   * @param nowMillis the current time
   */
  public static PublishOptions parse(
      Map<String, List<String>> headers,
      boolean enqueue,
      FerryConfig.Limits limits,
      long nowMillis) {
    String method = single(headers, UpstashHeaders.METHOD);
    method = method == null ? "POST" : method.trim().toUpperCase(Locale.ROOT);
    if (!METHODS.contains(method)) {
      throw ApiException.badRequest("Upstash-Method: must be one of GET, POST, PUT, PATCH, DELETE");
    }
    int retries = retries(single(headers, UpstashHeaders.RETRIES), limits);
    String expression = single(headers, UpstashHeaders.RETRY_DELAY);
    if (expression != null) {
      try {
        RetryDelayExpression.parse(expression);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("Upstash-Retry-Delay: " + e.getMessage());
      }
    }
    long timeout = timeout(single(headers, UpstashHeaders.TIMEOUT), limits);
    long notBefore = notBefore(headers, enqueue, limits, nowMillis);
    FlowControl flowControl = FlowControlOptions.parse(headers);
    if (enqueue && flowControl != null) { // a queue's parallelism already governs its messages
      throw ApiException.badRequest(
          "Upstash-Flow-Control-Key: flow control is not supported for messages in a "
              + "queue; set the queue's parallelism, or publish without a queue");
    }
    return new PublishOptions(
        method,
        forwardHeaders(headers),
        retries,
        expression,
        timeout,
        notBefore,
        labels(headers.get(UpstashHeaders.LABEL)),
        Deduplication.id(single(headers, UpstashHeaders.DEDUPLICATION_ID)),
        Deduplication.contentBased(single(headers, UpstashHeaders.CONTENT_BASED_DEDUPLICATION)),
        CallbackOptions.callback(headers, limits, nowMillis),
        CallbackOptions.failureCallback(headers, limits, nowMillis),
        flowControl,
        RedactFields.parse(headers.get(RedactFields.HEADER)));
  }

  private static int retries(String value, FerryConfig.Limits limits) {
    if (value == null) return limits.defaultRetries();
    int retries;
    try {
      retries = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(
          "Upstash-Retries: must be a whole number, got \"" + value + "\"");
    }
    if (retries < 0 || retries > limits.maxRetries()) {
      throw ApiException.badRequest(
          "Upstash-Retries: must be between 0 and " + limits.maxRetries());
    }
    return retries;
  }

  private static long timeout(String value, FerryConfig.Limits limits) {
    if (value == null) return 0;
    Duration d = duration("Upstash-Timeout", value);
    if (d.isZero()) throw ApiException.badRequest("Upstash-Timeout: must be greater than zero");
    return d.toMillis();
  }

  private static long notBefore(
      Map<String, List<String>> headers, boolean enqueue, FerryConfig.Limits limits, long now) {
    String delay = single(headers, UpstashHeaders.DELAY);
    String notBefore = single(headers, UpstashHeaders.NOT_BEFORE);
    if (enqueue && (delay != null || notBefore != null)) {
      throw ApiException.badRequest(
          (delay != null ? "Upstash-Delay" : "Upstash-Not-Before")
              + ": delays are not supported when enqueueing into a queue (as in QStash); publish without a queue");
    }
    long at = 0;
    if (notBefore != null) { // QStash: Not-Before wins over Delay when both are sent
      long seconds;
      try {
        seconds = Long.parseLong(notBefore.trim());
      } catch (NumberFormatException e) {
        throw ApiException.badRequest(
            "Upstash-Not-Before: must be a Unix timestamp in seconds, got \"" + notBefore + "\"");
      }
      if (seconds < 0) throw ApiException.badRequest("Upstash-Not-Before: must not be negative");
      if (seconds > NOT_BEFORE_SECONDS_MAX) {
        throw ApiException.badRequest(
            "Upstash-Not-Before: must be in seconds; " + seconds + " looks like milliseconds");
      }
      at = seconds * 1000;
    } else if (delay != null) {
      at = now + duration("Upstash-Delay", delay).toMillis();
    }
    if (at > now && at - now > limits.maxDelay().toMillis()) {
      throw ApiException.badRequest(
          "Upstash-Delay: the delay exceeds the maximum of " + limits.maxDelay().toSeconds() + "s");
    }
    return at;
  }

  private static Duration duration(String header, String value) {
    try {
      return Durations.parse(value.trim());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(header + ": " + e.getMessage());
    }
  }

  /**
   * Content-Type plus every {@code Upstash-Forward-*} (prefix stripped), or all plain headers in
   * header-forward mode.
   */
  private static Map<String, List<String>> forwardHeaders(Map<String, List<String>> headers) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    boolean forwardAll =
        "true".equalsIgnoreCase(trimmed(single(headers, UpstashHeaders.HEADER_FORWARD)));
    for (Map.Entry<String, List<String>> h : headers.entrySet()) {
      String name = h.getKey();
      if (name.startsWith(UpstashHeaders.FORWARD_PREFIX)) {
        String target = name.substring(UpstashHeaders.FORWARD_PREFIX.length());
        if (target.isEmpty())
          throw ApiException.badRequest("Upstash-Forward-: a forwarded header needs a name");
        if (target.equals(UpstashHeaders.CONTENT_TYPE)
            && headers.containsKey(UpstashHeaders.CONTENT_TYPE)) {
          continue; // QStash: Content-Type wins over Upstash-Forward-Content-Type
        }
        if (!UpstashHeaders.isForwardable(target)) {
          throw ApiException.badRequest(
              "Upstash-Forward-"
                  + HeaderNames.canonical(target)
                  + ": this header cannot be forwarded");
        }
        put(out, target, h.getValue());
      } else if (forwardAll && UpstashHeaders.isForwardedInHeaderMode(name)) {
        put(out, name, h.getValue());
      }
    }
    List<String> contentType = headers.get(UpstashHeaders.CONTENT_TYPE);
    if (contentType != null && !contentType.isEmpty())
      put(out, UpstashHeaders.CONTENT_TYPE, contentType.subList(0, 1));
    return out;
  }

  private static void put(Map<String, List<String>> out, String name, List<String> values) {
    if (!HeaderNames.isValidName(name))
      throw ApiException.badRequest("invalid header name: " + name);
    for (String v : values) {
      if (!HeaderNames.isValidValue(v)) {
        throw ApiException.badRequest(
            "header " + HeaderNames.canonical(name) + ": value contains control characters");
      }
    }
    out.computeIfAbsent(HeaderNames.canonical(name), k -> new ArrayList<>()).addAll(values);
  }

  private static List<String> labels(List<String> values) {
    if (values == null) return List.of();
    List<String> labels = new ArrayList<>();
    for (String value : values) {
      for (String part : value.split(",")) {
        String label = part.trim();
        if (!label.isEmpty()) labels.add(label);
      }
    }
    return labels;
  }

  /** The first value of a header, or null. */
  static String single(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static String trimmed(String s) {
    return s == null ? null : s.trim();
  }
}
