package dev.ferry.overload;

/**
 * Hears about every request Ferry sheds (answers 503 + {@code Retry-After} instead of serving), by
 * reason, so the API does not depend on a metrics library. Called on event loops: must be cheap,
 * must not block, must not throw.
 */
@FunctionalInterface
public interface ShedCounter {
  /** Counts nothing. */
  ShedCounter NONE = reason -> {};

  /**
   * One request was shed; {@code reason} is a short stable label such as {@code too_many_requests}.
   */
  void shed(String reason);
}
