package dev.ferry.api.messages;

import dev.ferry.api.publish.PublishOptions;
import dev.ferry.api.publish.RedactFields;
import dev.ferry.config.FerryConfig;
import dev.ferry.ingest.PublishCommand;
import dev.ferry.model.DlqEntry;
import dev.ferry.model.Message;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a DLQ entry back into a publish: the original's settings written out as the configuration
 * headers that would have produced them, overlaid with the {@code Upstash-*} headers of the retry
 * request (so {@code Upstash-Retries: 0} on the retry wins), parsed by the same {@link
 * PublishOptions} as any publish. The new message gets a new id and goes to the original URL (and
 * queue); the original's caller IP, schedule id, callbacks and flow control are kept (the last
 * three unless the request sets its own), and it is never deduplicated (a retry is asked for
 * explicitly). Pure.
 */
final class DlqRetry {
  private DlqRetry() {}

  static PublishCommand command(
      DlqEntry entry, MultiMap requestHeaders, FerryConfig.Limits limits, long now) {
    Message m = entry.message();
    Map<String, List<String>> headers = new LinkedHashMap<>();
    m.headers()
        .forEach(
            (name, values) -> {
              String lower = name.toLowerCase(Locale.ROOT);
              headers.put(
                  lower.equals("content-type") ? lower : "upstash-forward-" + lower, values);
            });
    headers.put("upstash-method", List.of(m.method()));
    headers.put(
        "upstash-retries",
        List.of(Integer.toString(Math.min(m.maxRetries(), limits.maxRetries()))));
    if (m.retryDelayExpression() != null)
      headers.put("upstash-retry-delay", List.of(m.retryDelayExpression()));
    if (m.timeoutMillis() > 0) headers.put("upstash-timeout", List.of(m.timeoutMillis() + "ms"));
    if (!m.labels().isEmpty()) headers.put("upstash-label", List.of(String.join(",", m.labels())));
    if (m.redactFields() != null) headers.put(RedactFields.HEADER, List.of(m.redactFields()));
    for (Map.Entry<String, String> h : requestHeaders) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (!name.startsWith("upstash-") || name.startsWith("upstash-telemetry-")) continue;
      headers.computeIfAbsent(name, k -> new ArrayList<>());
    }
    for (String name : new ArrayList<>(headers.keySet())) {
      List<String> given = requestHeaders.getAll(name);
      if (!given.isEmpty()) headers.put(name, given);
    }
    PublishOptions o = PublishOptions.parse(headers, m.queued(), limits, now);
    return new PublishCommand(
        m.tenant(),
        m.url(),
        null,
        m.queueName(),
        o.method(),
        o.headers(),
        m.body(),
        o.maxRetries(),
        o.retryDelayExpression(),
        o.timeoutMillis(),
        o.notBefore(),
        o.labels(),
        m.callerIp(),
        null,
        m.scheduleId(),
        // callbacks and flow control are kept as stored unless the retry request configures its own
        o.callback() != null ? o.callback() : m.callback(),
        o.failureCallback() != null ? o.failureCallback() : m.failureCallback(),
        o.flowControl() != null ? o.flowControl() : m.flowControl(),
        o.redactFields());
  }
}
