package dev.ferry.model;

/**
 * One flow-control management request for a tenant's key (or, for {@link Kind#LIST}, its keys):
 * what the API asks the lane that owns the key to do or show.
 *
 * @param kind the operation
 * @param key the key, or for LIST the search text (null = all keys)
 * @param parallelism PIN: pinned parallelism, or null to leave as is; UNPIN: non-null to unpin it
 * @param rate PIN: pinned rate, or null; UNPIN: non-null to unpin rate and period
 * @param periodSeconds PIN: pinned period, or null
 */
public record FlowControlCommand(
    Kind kind, String key, Integer parallelism, Integer rate, Long periodSeconds) {
  public enum Kind {
    LIST,
    GET,
    PAUSE,
    RESUME,
    PIN,
    UNPIN,
    RESET_RATE,
    RESET
  }

  public static FlowControlCommand of(Kind kind, String key) {
    return new FlowControlCommand(kind, key, null, null, null);
  }

  /**
   * True for operations that create the key's lane when it does not exist yet (settings given in
   * advance).
   */
  public boolean creates() {
    return kind == Kind.PAUSE || kind == Kind.PIN;
  }
}
