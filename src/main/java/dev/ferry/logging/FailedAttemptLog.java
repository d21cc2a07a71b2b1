package dev.ferry.logging;

import dev.ferry.delivery.DeliveryEvents;
import dev.ferry.egress.DestinationHosts;
import dev.ferry.model.AttemptResult;
import dev.ferry.model.Message;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every failed delivery attempt as one WARN line — message id, tenant, queue, destination host
 * (never the full URL, whose path or query may hold secrets), attempt number, HTTP status or
 * transport error, and what happens next — at most {@code perSecond} lines a second (a token bucket
 * allowing a burst of as many). Failures over the limit are counted, and {@link #flush} (called
 * every second by {@code Ferry}) writes one line saying how many were left out, so a dead
 * destination with a large backlog cannot fill the disk. Thread-safe: every delivery event loop
 * calls it.
 */
public final class FailedAttemptLog implements DeliveryEvents {
  private static final Logger LOG = LoggerFactory.getLogger(FailedAttemptLog.class);

  private final LineBudget budget;

  public FailedAttemptLog(int perSecond) {
    this.budget = new LineBudget(perSecond);
  }

  @Override
  public void attemptEnded(
      Message m, AttemptResult result, long attemptNanos, Outcome outcome, long retryAt) {
    if (result.delivered() || !LOG.isWarnEnabled()) return;
    if (!budget.take()) return;
    try {
      String host = DestinationHosts.of(m.url());
      String reason =
          result.status() != 0 ? "HTTP " + result.status() : scrub(result.error(), m.url(), host);
      String next =
          switch (outcome) {
            case RETRY -> "retry at " + Instant.ofEpochMilli(retryAt);
            case FAILED -> "moved to the DLQ";
            case FAILED_IN_RUN -> "failed for good; its workflow run's DLQ entry records it";
            case UNRECORDED -> "the outcome could not be stored; it will be tried again";
            case DROPPED -> "another replica owns the message now and delivers it";
            case DELIVERED -> "";
          };
      LOG.atWarn()
          .addKeyValue("messageId", m.id())
          .addKeyValue("tenant", m.tenant())
          .addKeyValue("queue", m.queueName())
          .addKeyValue("host", host)
          .addKeyValue("attempt", m.retried() + 1)
          .addKeyValue("status", result.status())
          .addKeyValue("error", result.status() != 0 ? null : reason)
          .addKeyValue("outcome", outcome.name())
          .log(
              "delivery attempt {} of {} failed: message {} (tenant {}{}) to {}: {}; {}",
              m.retried() + 1,
              m.maxRetries() + 1,
              m.id(),
              m.tenant(),
              m.queueName() == null ? "" : ", queue " + m.queueName(),
              host,
              reason,
              next);
    } catch (RuntimeException e) {
      LOG.debug(
          "could not log a failed attempt of {}", m.id(), e); // never let logging break delivery
    }
  }

  /** Writes how many failed attempts were left out since the last call, if any. */
  public void flush() {
    long left = budget.takeSkipped();
    if (left > 0) {
      LOG.atWarn()
          .addKeyValue("suppressed", left)
          .log(
              "{} more failed delivery attempt(s) not logged (logging.failedAttemptsPerSecond = {})",
              left,
              budget.perSecond());
    }
  }

  /** Transport errors may quote the URL they failed on: show only the host. */
  private static String scrub(String error, String url, String host) {
    if (error == null) return "no response";
    return url != null && !url.isEmpty() ? error.replace(url, host) : error;
  }
}
