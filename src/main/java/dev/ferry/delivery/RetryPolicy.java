package dev.ferry.delivery;

import dev.ferry.model.GoDuration;
import dev.ferry.model.RetryDelayExpression;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Decides what happens after a failed delivery attempt (docs/compatibility.md#retries): retry at a
 * given time, or fail now. Pure: no I/O, no clock, no Vert.x; thread-safe. Called by delivery with
 * the attempt's response.
 *
 * <p>Order of the rules:
 *
 * <ol>
 *   <li>Status 489 with {@code Upstash-NonRetryable-Error: true} (value compared
 *       case-insensitively, trimmed) fails at once, whatever retries are left.
 *   <li>When {@code retried >= maxRetries} the retries are exhausted.
 *   <li>Otherwise retry. The delay comes from the first that applies:
 *       <ul>
 *         <li>{@code Retry-After}, {@code X-RateLimit-Reset}, {@code X-RateLimit-Reset-Requests},
 *             {@code X-RateLimit-Reset-Tokens} (names matched case-insensitively, every value
 *             considered). Each value may be seconds (integer or decimal), an RFC 1123 date
 *             (relative to {@code now}; a date in the past means 0), or a Go duration ({@code
 *             6m5s}; units ns, us, µs, ms, s, m, h; decimals allowed). Values above one day,
 *             negative values and unparseable ones are ignored. Decision: when several are valid
 *             the largest wins, so no limit the destination announced is violated. {@code
 *             Retry-After: 0} retries immediately. Decision: sub-millisecond parts are rounded up,
 *             never retrying early. A Unix timestamp in {@code X-RateLimit-Reset} (GitHub style) is
 *             more than a day of seconds and is therefore ignored, as QStash's "seconds" reading
 *             implies.
 *         <li>The {@code Upstash-Retry-Delay} expression, with {@code retried} = retries already
 *             done.
 *         <li>The default backoff {@link #defaultBackoffMillis} for retry number {@code retried +
 *             1}.
 *       </ul>
 *       Decision (QStash does not say): a header-driven retry consumes a retry like any other.
 * </ol>
 */
public final class RetryPolicy {
  /** Longest delay any rule produces, and the largest header value honoured: one day. */
  public static final long MAX_DELAY_MILLIS = 86_400_000L;

  /** Status that, with {@link #NON_RETRYABLE_HEADER}{@code : true}, fails a message at once. */
  public static final int NON_RETRYABLE_STATUS = 489;

  public static final String NON_RETRYABLE_HEADER = "Upstash-NonRetryable-Error";

  private static final List<String> DELAY_HEADERS =
      List.of(
          "Retry-After",
          "X-RateLimit-Reset",
          "X-RateLimit-Reset-Requests",
          "X-RateLimit-Reset-Tokens");
  private static final int MAX_HEADER_VALUE_LENGTH = 64;
  private static final GoDuration.Dialect GO_DIALECT =
      new GoDuration.Dialect(false, true, true, false, MAX_DELAY_MILLIS * 1_000_000);

  private RetryPolicy() {}

  /**
   * What to do with a message after a failed attempt. {@code retryAt} (Unix ms) is meaningful only
   * for RETRY.
   */
  public record Decision(Outcome outcome, long retryAt) {
    /** RETRY: reschedule at {@code retryAt}; the other two: move to the DLQ now. */
    public enum Outcome {
      RETRY,
      RETRIES_EXHAUSTED,
      NON_RETRYABLE
    }

    public static Decision retryAt(long when) {
      return new Decision(Outcome.RETRY, when);
    }

    public static Decision fail(Outcome reason) {
      if (reason == Outcome.RETRY) {
        throw new IllegalArgumentException("a failure needs a failure reason");
      }
      return new Decision(reason, 0);
    }

    public boolean retry() {
      return outcome == Outcome.RETRY;
    }
  }

  /**
   * Decides after a failed attempt.
   *
   * @param maxRetries retries allowed after the first attempt ({@code Upstash-Retries}), at least 0
   * @param retried retries already done before this failure (0 when the first attempt just failed)
   * @param expression the {@code Upstash-Retry-Delay} expression, or null for the default backoff
   * @param status the attempt's HTTP status, 0 when no response arrived; must not be 2xx
   * @param headers the attempt's response headers (any name case), may be null or empty
   * @param now Unix ms of the decision
   */
  public static Decision decide(
      int maxRetries,
      int retried,
      RetryDelayExpression expression,
      int status,
      Map<String, List<String>> headers,
      long now) {
    if (maxRetries < 0 || retried < 0) {
      throw new IllegalArgumentException("maxRetries and retried must be >= 0");
    }
    if (status >= 200 && status < 300) {
      throw new IllegalArgumentException(
          "status " + status + " is a success, not a failed attempt");
    }
    Map<String, List<String>> h = headers == null ? Map.of() : headers;
    if (status == NON_RETRYABLE_STATUS && isNonRetryable(h)) {
      return Decision.fail(Decision.Outcome.NON_RETRYABLE);
    }
    if (retried >= maxRetries) {
      return Decision.fail(Decision.Outcome.RETRIES_EXHAUSTED);
    }
    OptionalLong fromHeaders = headerDelayMillis(h, now);
    long delay =
        fromHeaders.isPresent()
            ? fromHeaders.getAsLong()
            : expression != null
                ? expression.delayMillis(retried)
                : defaultBackoffMillis(retried + 1);
    return Decision.retryAt(now + delay);
  }

  /**
   * QStash's default delay before retry number {@code retryNumber} (1 for the first retry): {@code
   * min(86400, e^(2.5·n))} seconds, rounded to the nearest millisecond: 12 182 ms, 148 413 ms
   * (2m28s), 1 808 042 ms (30m8s), 22 026 466 ms (6h7m6s), then one day.
   */
  public static long defaultBackoffMillis(int retryNumber) {
    if (retryNumber < 1) {
      throw new IllegalArgumentException("retry numbers start at 1");
    }
    return Math.round(Math.min(86_400.0, Math.exp(2.5 * retryNumber)) * 1000.0);
  }

  /**
   * The largest valid delay announced by the rate-limit headers, if any (see the class comment).
   */
  public static OptionalLong headerDelayMillis(Map<String, List<String>> headers, long now) {
    if (headers == null) {
      return OptionalLong.empty();
    }
    long best = -1;
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey() == null || e.getValue() == null || !isDelayHeader(e.getKey())) {
        continue;
      }
      for (String value : e.getValue()) {
        best = Math.max(best, parseDelay(value, now));
      }
    }
    return best < 0 ? OptionalLong.empty() : OptionalLong.of(best);
  }

  private static boolean isDelayHeader(String name) {
    for (String known : DELAY_HEADERS) {
      if (known.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isNonRetryable(Map<String, List<String>> headers) {
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (NON_RETRYABLE_HEADER.equalsIgnoreCase(e.getKey()) && e.getValue() != null) {
        for (String v : e.getValue()) {
          if (v != null && v.trim().equalsIgnoreCase("true")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** One header value to a delay in ms, or -1 when it is not a valid delay of at most one day. */
  static long parseDelay(String raw, long now) {
    if (raw == null) {
      return -1;
    }
    String v = raw.trim();
    if (v.isEmpty() || v.length() > MAX_HEADER_VALUE_LENGTH) {
      return -1;
    }
    double millis;
    if (isDecimal(v)) {
      millis = Double.parseDouble(v) * 1000.0;
    } else if (v.indexOf(' ') >= 0) { // an HTTP date always has spaces, a Go duration never
      millis = httpDateMillis(v, now);
    } else {
      millis = goDurationMillis(v);
    }
    if (Double.isNaN(millis) || millis < 0 || millis > MAX_DELAY_MILLIS) {
      return -1;
    }
    return (long) Math.ceil(millis);
  }

  private static boolean isDecimal(String v) {
    int dots = 0;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '.') {
        dots++;
      } else if (c < '0' || c > '9') {
        return false;
      }
    }
    return dots == 0 || (dots == 1 && v.charAt(0) != '.' && v.charAt(v.length() - 1) != '.');
  }

  private static double httpDateMillis(String v, long now) {
    try {
      long at =
          ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
      return Math.max(0, at - now);
    } catch (DateTimeParseException e) {
      return -1;
    }
  }

  /**
   * Go's duration syntax without a sign or the {@code d} unit, capped at one day; -1 when
   * malformed. Whole milliseconds, rounded up (digits below the nanosecond included), so no retry
   * comes early.
   */
  private static double goDurationMillis(String v) {
    try {
      GoDuration d = GoDuration.parse(v, 0, GO_DIALECT);
      long millis = (d.nanos() + 999_999) / 1_000_000;
      if (d.truncated() && d.nanos() % 1_000_000 == 0)
        millis++; // what was below a nanosecond still counts
      return Math.min(
          millis, MAX_DELAY_MILLIS); // one day and a fraction of a nanosecond is still one day
    } catch (GoDuration.Invalid e) {
      return -1;
    }
  }
}
