package dev.ferry.api.manage;

import dev.ferry.api.Durations;
import dev.ferry.model.CronSpec;
import dev.ferry.model.FlowControl;
import dev.ferry.model.HeaderNames;
import dev.ferry.model.Schedule;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * QStash's Schedule object (docs/compatibility.md#json-shapes): absent fields omitted (Go {@code
 * omitempty}), header maps of arrays with canonical names, times in Unix ms, {@code delay}, {@code
 * timeout} and flow-control {@code period} in seconds, and the caller's address as both {@code
 * callerIP} and {@code callerIp}. Pure; any thread.
 */
final class ScheduleJson {
  private static final String CALLBACK = "upstash-callback";
  private static final String FAILURE_CALLBACK = "upstash-failure-callback";
  private static final String CALLBACK_FORWARD = "upstash-callback-forward-";
  private static final String FAILURE_CALLBACK_FORWARD = "upstash-failure-callback-forward-";
  private static final String FLOW_CONTROL_KEY = "upstash-flow-control-key";
  private static final String FLOW_CONTROL_VALUE = "upstash-flow-control-value";

  private ScheduleJson() {}

  /**
   * @param states message id → state of last-tick messages (see {@link ScheduleStates})
   * @param now for {@code nextScheduleTime}, omitted while paused
   */
  static JsonObject render(Schedule s, Map<String, String> states, long now) {
    JsonObject j =
        new JsonObject()
            .put("scheduleId", s.scheduleId())
            .put("cron", s.cron())
            .put("destination", s.destination())
            .put("method", s.method())
            .put("createdAt", s.createdAt());
    if (!s.headers().isEmpty()) j.put("header", headers(s.headers()));
    body(j, s.body());
    j.put("retries", s.maxRetries());
    if (s.delayMillis() > 0) j.put("delay", s.delayMillis() / 1000);
    if (s.timeoutMillis() > 0) j.put("timeout", s.timeoutMillis() / 1000);
    if (s.retryDelayExpression() != null) j.put("retryDelayExpression", s.retryDelayExpression());
    pending(j, s.pendingConfig());
    if (s.queueName() != null) j.put("queueName", s.queueName());
    if (!s.labels().isEmpty()) {
      j.put("label", s.labels().get(0));
      j.put("labels", new JsonArray(new ArrayList<>(s.labels())));
    }
    if (s.callerIp() != null) j.put("callerIP", s.callerIp()).put("callerIp", s.callerIp());
    j.put("isPaused", s.paused());
    if (s.lastScheduleTime() > 0) j.put("lastScheduleTime", s.lastScheduleTime());
    if (!s.paused()) {
      OptionalLong next = CronSpec.parse(s.cron()).nextAfter(Math.max(now, s.lastScheduleTime()));
      if (next.isPresent()) j.put("nextScheduleTime", next.getAsLong());
    }
    if (!s.lastMessageIds().isEmpty()) {
      JsonObject lastStates = new JsonObject();
      s.lastMessageIds().forEach(id -> lastStates.put(id, states.getOrDefault(id, "IN_PROGRESS")));
      j.put("lastScheduleStates", lastStates);
    }
    return j;
  }

  /**
   * {@code body} when the bytes are valid UTF-8, else {@code bodyBase64}; nothing for an empty
   * body.
   */
  private static void body(JsonObject j, byte[] body) {
    if (body.length == 0) return;
    try {
      j.put(
          "body",
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body))
              .toString());
    } catch (CharacterCodingException e) {
      j.put("bodyBase64", Base64.getEncoder().encodeToString(body));
    }
  }

  /** The stored callback and flow-control configuration, in the fields QStash shows it in. */
  private static void pending(JsonObject j, Map<String, List<String>> config) {
    String callback = first(config, CALLBACK);
    if (callback != null) j.put("callback", callback.trim());
    String failureCallback = first(config, FAILURE_CALLBACK);
    if (failureCallback != null) j.put("failureCallback", failureCallback.trim());
    Map<String, List<String>> callbackHeader = forwarded(config, CALLBACK_FORWARD);
    if (!callbackHeader.isEmpty()) j.put("callbackHeader", headers(callbackHeader));
    Map<String, List<String>> failureHeader = forwarded(config, FAILURE_CALLBACK_FORWARD);
    if (!failureHeader.isEmpty()) j.put("failureCallbackHeader", headers(failureHeader));
    String key = first(config, FLOW_CONTROL_KEY);
    if (key != null) j.put("flowControlKey", key.trim());
    String value = first(config, FLOW_CONTROL_VALUE);
    if (value != null) flowControl(j, value);
    // QStash reports a period on every key, the default when the value named none (SDKs read it
    // unconditionally)
    if (key != null && !j.containsKey("period"))
      j.put("period", FlowControl.DEFAULT_PERIOD_SECONDS);
  }

  /**
   * {@code parallelism=5, rate=10, period=1m}: each part shown when it parses, the rest ignored.
   */
  private static void flowControl(JsonObject j, String value) {
    for (String part : value.split(",")) {
      int eq = part.indexOf('=');
      if (eq < 0) continue;
      String name = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String v = part.substring(eq + 1).trim();
      try {
        switch (name) {
          case "parallelism" -> j.put("parallelism", Integer.parseInt(v));
          case "rate" -> j.put("rate", Integer.parseInt(v));
          case "period" -> j.put("period", Durations.parse(v).toSeconds());
          default -> {}
        }
      } catch (IllegalArgumentException e) {
        // not shown; the value stays on the schedule as sent
      }
    }
  }

  private static Map<String, List<String>> forwarded(
      Map<String, List<String>> config, String prefix) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    config.forEach(
        (name, values) -> {
          if (name.startsWith(prefix) && name.length() > prefix.length())
            out.put(name.substring(prefix.length()), values);
        });
    return out;
  }

  private static JsonObject headers(Map<String, List<String>> headers) {
    JsonObject out = new JsonObject();
    headers.forEach(
        (name, values) ->
            out.put(HeaderNames.canonical(name), new JsonArray(new ArrayList<>(values))));
    return out;
  }

  private static String first(Map<String, List<String>> config, String name) {
    List<String> values = config.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
