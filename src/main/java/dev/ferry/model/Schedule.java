package dev.ferry.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A cron schedule: what message to produce on every tick, and the bookkeeping of its last tick.
 * Immutable; every change is a new record written to the schedule store. Created by the API, ticked
 * by {@code schedule.CronVerticle}.
 *
 * @param tenant owning tenant
 * @param scheduleId {@code scd_...} or the caller's {@code Upstash-Schedule-Id}
 * @param cron the cron expression as given, trimmed (may start with {@code CRON_TZ=<zone> })
 * @param destination destination URL, or URL-group name
 * @param queueName queue the produced messages are enqueued into, else null
 * @param method HTTP method toward the destination
 * @param headers headers for the destination (Content-Type and forwarded ones, canonical names)
 * @param body body of every produced message (never null)
 * @param maxRetries retries of every produced message
 * @param retryDelayExpression {@code Upstash-Retry-Delay}, or null
 * @param timeoutMillis per-attempt timeout, 0 = default
 * @param delayMillis {@code Upstash-Delay} applied to each produced message, 0 = none
 * @param labels labels of every produced message
 * @param callerIp address of the schedule's creator; produced messages carry it
 * @param pendingConfig callback, failure-callback and flow-control headers as sent (lower-case
 *     names): kept and shown, for the messages the schedule produces once messages carry those
 *     features
 * @param createdAt Unix ms of creation (or of the last full replacement)
 * @param paused ticks are ignored while true
 * @param revision bumped by every write; a tick is recorded only against the revision it was
 *     computed for
 * @param lastScheduleTime Unix ms of the last recorded tick (the cron time, not when it ran), 0 =
 *     none yet
 * @param lastMessageIds ids of the messages the last tick produced
 */
public record Schedule(
    String tenant,
    String scheduleId,
    String cron,
    String destination,
    String queueName,
    String method,
    Map<String, List<String>> headers,
    byte[] body,
    int maxRetries,
    String retryDelayExpression,
    long timeoutMillis,
    long delayMillis,
    List<String> labels,
    String callerIp,
    Map<String, List<String>> pendingConfig,
    long createdAt,
    boolean paused,
    long revision,
    long lastScheduleTime,
    List<String> lastMessageIds) {

  public Schedule {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(scheduleId, "scheduleId");
    Objects.requireNonNull(cron, "cron");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(method, "method");
    headers = headers == null ? Map.of() : headers;
    body = body == null ? new byte[0] : body;
    labels = labels == null ? List.of() : List.copyOf(labels);
    pendingConfig = pendingConfig == null ? Map.of() : pendingConfig;
    lastMessageIds = lastMessageIds == null ? List.of() : List.copyOf(lastMessageIds);
  }

  /** True when the destination is a URL (else it names a URL group). */
  public boolean destinationIsUrl() {
    return destination.regionMatches(true, 0, "http://", 0, 7)
        || destination.regionMatches(true, 0, "https://", 0, 8);
  }

  public Schedule withPaused(boolean paused) {
    return new Schedule(
        tenant,
        scheduleId,
        cron,
        destination,
        queueName,
        method,
        headers,
        body,
        maxRetries,
        retryDelayExpression,
        timeoutMillis,
        delayMillis,
        labels,
        callerIp,
        pendingConfig,
        createdAt,
        paused,
        revision,
        lastScheduleTime,
        lastMessageIds);
  }

  public Schedule withRevision(long revision) {
    return new Schedule(
        tenant,
        scheduleId,
        cron,
        destination,
        queueName,
        method,
        headers,
        body,
        maxRetries,
        retryDelayExpression,
        timeoutMillis,
        delayMillis,
        labels,
        callerIp,
        pendingConfig,
        createdAt,
        paused,
        revision,
        lastScheduleTime,
        lastMessageIds);
  }

  /** The schedule after a tick at {@code tickTime} that produced {@code messageIds}. */
  public Schedule ticked(long tickTime, List<String> messageIds) {
    return new Schedule(
        tenant,
        scheduleId,
        cron,
        destination,
        queueName,
        method,
        headers,
        body,
        maxRetries,
        retryDelayExpression,
        timeoutMillis,
        delayMillis,
        labels,
        callerIp,
        pendingConfig,
        createdAt,
        paused,
        revision,
        tickTime,
        messageIds);
  }
}
