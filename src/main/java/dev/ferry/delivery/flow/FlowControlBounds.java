package dev.ferry.delivery.flow;

import java.time.Duration;

/**
 * How much flow-control state one delivery partition keeps in memory (from the {@code overload}
 * config section). Messages past {@code maxWaiting} are handed back to the scheduler for later (the
 * store keeps them; nothing is rejected); keys past {@code maxKeys} are made room for by forgetting
 * idle keys.
 *
 * @param maxWaiting due flow-controlled messages waiting in memory, all keys of the partition
 *     together
 * @param maxWaitingBytes their bytes (bodies and a fixed allowance per message), all keys together
 * @param maxKeys keys tracked at once; an idle key (nothing waiting or in flight, rate window over,
 *     no operator setting) is forgotten after {@link #IDLE_EVICTION} or as soon as room is needed
 * @param maxDefer latest a handed-back message is looked at again; at most the scheduler's horizon,
 *     which is how far ahead the scheduler keeps entries in memory
 */
public record FlowControlBounds(
    int maxWaiting, long maxWaitingBytes, int maxKeys, Duration maxDefer) {
  /** Idle keys older than this are forgotten by the periodic sweep even when there is room. */
  static final Duration IDLE_EVICTION = Duration.ofMinutes(1);

  public static final FlowControlBounds DEFAULTS =
      new FlowControlBounds(10_000, Long.MAX_VALUE, 100_000, Duration.ofMinutes(1));

  public FlowControlBounds {
    if (maxWaiting < 1 || maxWaitingBytes < 1 || maxKeys < 1)
      throw new IllegalArgumentException("bounds must be positive");
    maxDefer = maxDefer.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : maxDefer;
  }
}
