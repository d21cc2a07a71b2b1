package dev.ferry.model;

/**
 * What an operator set on a flow-control key through the API (pause, pins), kept in the store so it
 * survives restarts. Limits that came from messages are not kept: the next message brings them
 * again.
 *
 * @param tenant owning tenant
 * @param key the flow-control key
 * @param paused dispatch paused
 * @param pinnedParallelism parallelism pinned to {@code parallelism}
 * @param parallelism the pinned parallelism (0 = unlimited)
 * @param pinnedRate rate and period pinned to {@code rate} per {@code periodSeconds}
 * @param rate the pinned rate (0 = unlimited)
 * @param periodSeconds the pinned period
 */
public record FlowControlSettings(
    String tenant,
    String key,
    boolean paused,
    boolean pinnedParallelism,
    int parallelism,
    boolean pinnedRate,
    int rate,
    long periodSeconds) {
  /** True when nothing is set: the record need not be kept. */
  public boolean isDefault() {
    return !paused && !pinnedParallelism && !pinnedRate;
  }
}
