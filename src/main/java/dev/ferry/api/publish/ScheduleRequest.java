package dev.ferry.api.publish;

import static dev.ferry.api.publish.PublishOptions.single;

import dev.ferry.api.DestinationPath;
import dev.ferry.api.Durations;
import dev.ferry.config.FerryConfig;
import dev.ferry.error.ApiException;
import dev.ferry.model.CronSpec;
import dev.ferry.model.Schedule;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed {@code POST /v2/schedules/{destination}} (docs/compatibility.md#schedules): the
 * destination from the raw URI, the cron, the optional id and queue, and the configuration of the
 * messages it will produce — parsed by {@link PublishOptions} exactly as a publish's, so a schedule
 * accepts what a publish accepts. Pure; any thread.
 *
 * <p>Decisions: {@code Upstash-Not-Before} is refused (a schedule has no single first delivery).
 * {@code Upstash-Delay} applies to each tick's message, also with {@code Upstash-Queue-Name} (as
 * the SDKs send it, unlike on enqueue): the message joins the queue when it becomes due. The
 * deduplication headers are ignored: QStash deduplicates before a schedule is created, not its
 * ticks. Callback, failure-callback and flow-control headers are validated loosely, stored and
 * shown on the schedule, but not yet given to the produced messages (Ferry's messages do not carry
 * those features yet).
 *
 * @param scheduleId {@code Upstash-Schedule-Id}, or null for a new generated id
 * @param cron the parsed {@code Upstash-Cron}
 * @param destination destination URL or URL-group name
 * @param queueName {@code Upstash-Queue-Name}, or null
 * @param options the produced messages' configuration
 * @param delayMillis {@code Upstash-Delay} in ms, 0 = none
 * @param pendingConfig callback / failure-callback / flow-control headers, lower-case names
 * @param body the produced messages' body
 */
public record ScheduleRequest(
    String scheduleId,
    CronSpec cron,
    String destination,
    String queueName,
    PublishOptions options,
    long delayMillis,
    Map<String, List<String>> pendingConfig,
    byte[] body) {
  /** Prefix of schedule request URIs. */
  public static final String PREFIX = "/v2/schedules/";

  /**
   * @throws ApiException 400 for anything invalid
   */
  public static ScheduleRequest parse(
      String rawUri, MultiMap httpHeaders, byte[] body, FerryConfig.Limits limits, long nowMillis) {
    DestinationPath path;
    try {
      path = DestinationPath.parse(rawUri, PREFIX);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    if (body.length > limits.maxMessageBytes()) {
      throw ApiException.payloadTooLarge(
          "message body too large: " + body.length + " bytes, at most " + limits.maxMessageBytes());
    }
    Map<String, List<String>> headers = RequestHeaders.of(httpHeaders, path.config());
    CronSpec cron;
    try {
      cron = CronSpec.parse(single(headers, UpstashHeaders.CRON));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    String id = name(headers, UpstashHeaders.SCHEDULE_ID, "schedule id");
    String queue = name(headers, UpstashHeaders.QUEUE_NAME, "queue name");
    if (headers.containsKey(UpstashHeaders.NOT_BEFORE)) {
      throw ApiException.badRequest(
          "Upstash-Not-Before: not supported on schedules; use Upstash-Delay");
    }
    long delay = delay(single(headers, UpstashHeaders.DELAY), limits);
    Map<String, List<String>> forMessages = new LinkedHashMap<>(headers);
    forMessages.remove(
        UpstashHeaders.DELAY); // counted from each tick, not from now (and not an enqueue's delay)
    PublishOptions options = PublishOptions.parse(forMessages, queue != null, limits, nowMillis);
    return new ScheduleRequest(
        id, cron, path.destination(), queue, options, delay, pendingConfig(headers), body);
  }

  /** The schedule this request creates (or that replaces the one with its id). */
  public Schedule toSchedule(String tenant, String id, String callerIp, long nowMillis) {
    return new Schedule(
        tenant,
        id,
        cron.expression(),
        destination,
        queueName,
        options.method(),
        options.headers(),
        body,
        options.maxRetries(),
        options.retryDelayExpression(),
        options.timeoutMillis(),
        delayMillis,
        options.labels(),
        callerIp,
        pendingConfig,
        nowMillis,
        false,
        0,
        0,
        List.of());
  }

  private static String name(Map<String, List<String>> headers, String header, String what) {
    String value = single(headers, header);
    if (value == null) return null;
    String name = value.trim();
    if (!DestinationPath.isValidName(name)) {
      throw ApiException.badRequest(
          "invalid "
              + what
              + " \""
              + (name.length() > 64 ? name.substring(0, 64) + "..." : name)
              + "\": use 1 to "
              + DestinationPath.MAX_NAME_LENGTH
              + " characters of A-Z a-z 0-9 - _ .");
    }
    return name;
  }

  private static long delay(String value, FerryConfig.Limits limits) {
    if (value == null) return 0;
    Duration d;
    try {
      d = Durations.parse(value.trim());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("Upstash-Delay: " + e.getMessage());
    }
    if (d.compareTo(limits.maxDelay()) > 0) {
      throw ApiException.badRequest(
          "Upstash-Delay: the delay exceeds the maximum of " + limits.maxDelay().toSeconds() + "s");
    }
    return d.toMillis();
  }

  /**
   * Callback, failure-callback and flow-control headers, kept as sent; callback URLs must be valid
   * URLs.
   */
  private static Map<String, List<String>> pendingConfig(Map<String, List<String>> headers) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    headers.forEach(
        (name, values) -> {
          if (name.startsWith(UpstashHeaders.CALLBACK_PREFIX)
              || name.startsWith(UpstashHeaders.FAILURE_CALLBACK_PREFIX)
              || name.startsWith(UpstashHeaders.FLOW_CONTROL_PREFIX)) {
            out.put(name, List.copyOf(values));
          }
        });
    for (String url :
        List.of(UpstashHeaders.CALLBACK_PREFIX, UpstashHeaders.FAILURE_CALLBACK_PREFIX)) {
      String value = single(out, url);
      if (value != null) {
        try {
          DestinationPath.validateUrl(value.trim());
        } catch (IllegalArgumentException e) {
          throw ApiException.badRequest(
              url.equals(UpstashHeaders.CALLBACK_PREFIX)
                  ? "Upstash-Callback: " + e.getMessage()
                  : "Upstash-Failure-Callback: " + e.getMessage());
        }
      }
    }
    return out;
  }
}
