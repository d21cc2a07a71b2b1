package dev.ferry.logging;

/**
 * How many lines a rate-limited log may write: a token bucket of {@code perSecond} lines a second
 * with a burst of as many, plus a count of the lines it refused since the last {@link
 * #takeSkipped}. Thread-safe: every event loop of a kind calls the same one. Used by {@link
 * FailedAttemptLog} and {@link RefusedRequestLog}, one budget each, so a flood of one kind never
 * silences the other.
 */
final class LineBudget {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final int perSecond;
  private double tokens; // guarded by this
  private long refilledAt; // guarded by this; System.nanoTime()
  private long skipped; // guarded by this

  LineBudget(int perSecond) {
    this.perSecond = perSecond;
    this.tokens = perSecond;
    this.refilledAt = System.nanoTime();
  }

  int perSecond() {
    return perSecond;
  }

  /** True if a line may be written now; otherwise the line is counted as skipped. */
  synchronized boolean take() {
    long now = System.nanoTime();
    tokens =
        Math.min(perSecond, tokens + (double) (now - refilledAt) * perSecond / NANOS_PER_SECOND);
    refilledAt = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    skipped++;
    return false;
  }

  /** The lines refused since the last call, and starts counting again from zero. */
  synchronized long takeSkipped() {
    long n = skipped;
    skipped = 0;
    return n;
  }
}
