package dev.ferry.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to send the callback (or failure-callback) message of a message: its URL plus what {@code
 * Upstash-Callback-*} (or {@code Upstash-Failure-Callback-*}) configured, read by the same rules as
 * a publish's own headers. Parsed by the API, stored with the message, turned into a new message by
 * delivery after an attempt.
 *
 * @param url the callback URL (validated; also the callback's JWT {@code sub})
 * @param method HTTP method of the callback request (default POST)
 * @param headers headers for the callback request ({@code …-Forward-*} stripped, canonical names)
 * @param maxRetries the callback's retries, or -1 for "as many as the source message"
 * @param retryDelayExpression the callback's {@code Retry-Delay} expression, or null
 * @param timeoutMillis per-attempt timeout of the callback, 0 = default
 * @param delayMillis delay before the callback is sent, 0 = at once
 * @param flowControl flow control of the callback message, or null
 */
public record CallbackConfig(
    String url,
    String method,
    Map<String, List<String>> headers,
    int maxRetries,
    String retryDelayExpression,
    long timeoutMillis,
    long delayMillis,
    FlowControl flowControl) {
  public CallbackConfig {
    Objects.requireNonNull(url, "url");
    method = method == null ? "POST" : method;
    headers = headers == null ? Map.of() : headers;
  }
}
