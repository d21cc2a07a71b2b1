package dev.ferry.api.publish;

import java.util.Locale;
import java.util.Set;

/**
 * The only place request configuration header names are spelled out (compared lower-case: names are
 * case-insensitive).
 */
public final class UpstashHeaders {
  public static final String METHOD = "upstash-method";
  public static final String DELAY = "upstash-delay";
  public static final String NOT_BEFORE = "upstash-not-before";
  public static final String RETRIES = "upstash-retries";
  public static final String RETRY_DELAY = "upstash-retry-delay";
  public static final String TIMEOUT = "upstash-timeout";
  public static final String LABEL = "upstash-label";
  public static final String HEADER_FORWARD = "upstash-header-forward";
  public static final String DEDUPLICATION_ID = "upstash-deduplication-id";
  public static final String CONTENT_BASED_DEDUPLICATION = "upstash-content-based-deduplication";
  public static final String CRON = "upstash-cron";
  public static final String SCHEDULE_ID = "upstash-schedule-id";
  public static final String QUEUE_NAME = "upstash-queue-name";
  public static final String CALLBACK_PREFIX = "upstash-callback";
  public static final String FAILURE_CALLBACK_PREFIX = "upstash-failure-callback";
  public static final String FLOW_CONTROL_PREFIX = "upstash-flow-control-";
  public static final String FORWARD_PREFIX = "upstash-forward-";
  public static final String UPSTASH_PREFIX = "upstash-";
  public static final String CONTENT_TYPE = "content-type";

  /**
   * Names a destination must never get from a publisher: framing and hop-by-hop headers (request
   * smuggling) and the ones Ferry sets itself. Forwarding one (or any {@code Proxy-*}) is refused
   * with a 400 rather than silently dropped; see {@link #isForwardable}.
   */
  public static final Set<String> NOT_FORWARDABLE =
      Set.of(
          "host",
          "content-length",
          "transfer-encoding",
          "connection",
          "keep-alive",
          "upgrade",
          "te",
          "trailer",
          "proxy-connection",
          "proxy-authorization",
          "expect",
          "user-agent",
          "upstash-signature",
          "upstash-message-id",
          "upstash-retried",
          "upstash-topic-name",
          "upstash-caller-ip",
          "upstash-schedule-id");

  /**
   * Request headers never forwarded in {@code Upstash-Header-Forward: true} mode (besides every
   * {@code upstash-*}).
   */
  public static final Set<String> NOT_FORWARDED_IN_HEADER_MODE =
      Set.of(
          "authorization",
          "host",
          "content-length",
          "transfer-encoding",
          "connection",
          "keep-alive",
          "upgrade",
          "te",
          "trailer",
          "proxy-connection",
          "proxy-authorization",
          "expect",
          "user-agent",
          "accept-encoding",
          "content-type",
          "cookie",
          "x-forwarded-for",
          "x-forwarded-proto",
          "x-forwarded-host",
          "x-real-ip",
          "forwarded");

  /** Every {@code Proxy-*} header is for the hop to a proxy, never for the destination. */
  private static final String PROXY_PREFIX = "proxy-";

  private UpstashHeaders() {}

  /** True if {@code Upstash-Forward-<name>} may reach the destination ({@code name} lower-case). */
  public static boolean isForwardable(String name) {
    return !NOT_FORWARDABLE.contains(name) && !name.startsWith(PROXY_PREFIX);
  }

  /**
   * True if the request header {@code name} (lower-case) is forwarded in {@code
   * Upstash-Header-Forward} mode.
   */
  public static boolean isForwardedInHeaderMode(String name) {
    return !name.startsWith(UPSTASH_PREFIX)
        && !NOT_FORWARDED_IN_HEADER_MODE.contains(name)
        && !name.startsWith(PROXY_PREFIX);
  }

  public static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
