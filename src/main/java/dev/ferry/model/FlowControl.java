package dev.ferry.model;

import java.util.Objects;

/**
 * A message's flow-control key and the limits it asks for ({@code
 * Upstash-Flow-Control-Key/-Value}). Messages sharing a key (within a tenant) share its budget,
 * whatever their URL.
 *
 * @param key the flow-control key
 * @param parallelism max attempts in flight for the key, 0 = unlimited
 * @param rate max attempts started per period, 0 = unlimited
 * @param periodSeconds the rate period in seconds (default 1, at most one week)
 */
public record FlowControl(String key, int parallelism, int rate, long periodSeconds) {
  public static final long MAX_PERIOD_SECONDS = 7 * 24 * 3600;

  /**
   * The period of a key whose value names none; QStash reports it on every key, whatever limits it
   * has.
   */
  public static final long DEFAULT_PERIOD_SECONDS = 1;

  public FlowControl {
    Objects.requireNonNull(key, "key");
    periodSeconds = periodSeconds <= 0 ? DEFAULT_PERIOD_SECONDS : periodSeconds;
  }
}
