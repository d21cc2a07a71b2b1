package dev.ferry.logging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One short WARN line per API request refused before any route could take it (a malformed
 * percent-escape that vertx-web tripped over while matching routes): method, client address and the
 * reason, never the path (a publish path holds the destination URL) or a stack trace. At most
 * {@code perSecond} lines a second, as many as {@code logging.failedAttemptsPerSecond} allows
 * failed delivery attempts but with a budget of its own, so that no client, with a token or
 * without, can fill the log or crowd out the delivery failures; {@link #flush} (every second, from
 * {@code Ferry}) writes how many were left out. Thread-safe: every API event loop calls it.
 */
public final class RefusedRequestLog {
  private static final Logger LOG = LoggerFactory.getLogger(RefusedRequestLog.class);

  private final LineBudget budget;

  public RefusedRequestLog(int perSecond) {
    this.budget = new LineBudget(perSecond);
  }

  /**
   * @param reason what the client was answered, e.g. {@code invalid percent-escape "%zz" in the
   *     path}
   */
  public void refused(String method, String client, String reason) {
    if (!LOG.isWarnEnabled() || !budget.take()) return;
    LOG.atWarn()
        .addKeyValue("method", method)
        .addKeyValue("remote", client)
        .addKeyValue("reason", reason)
        .log("refused a {} request from {}: {}", method, client, reason);
  }

  /** Writes how many refusals were left out since the last call, if any. */
  public void flush() {
    long left = budget.takeSkipped();
    if (left > 0) {
      LOG.atWarn()
          .addKeyValue("suppressed", left)
          .log(
              "{} more refused request(s) not logged (logging.failedAttemptsPerSecond = {})",
              left,
              budget.perSecond());
    }
  }
}
