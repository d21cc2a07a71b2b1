package dev.ferry.store;

import dev.ferry.model.Message;

/**
 * How the backend wants the ids of new messages: ingest mints an id ({@code ingest.Ids}) and lets
 * the backend complete it with what the backend needs to find the message from its id alone. The
 * embedded store keeps ids as minted; the Redis store appends the message's partition. Chosen by
 * {@link Stores#messageIds}; pure and thread-safe.
 */
public interface MessageIds {
  /** Ids stay as minted. */
  MessageIds AS_MINTED = (minted, placement) -> minted;

  /**
   * The id a new message gets.
   *
   * @param minted a fresh id from {@code ingest.Ids} ({@code msg_} + 19 base62 characters)
   * @param placement what decides where the message is kept
   */
  String complete(String minted, Placement placement);

  /**
   * What a backend may place a message by. All but {@code tenant} may be null.
   *
   * @param dedupKey the key the message is deduplicated by (see {@code Ingest}), or null
   */
  record Placement(
      String tenant, String queue, String flowKey, String scheduleId, String dedupKey) {

    /** The placement of a message built without deduplication (callbacks, a schedule's tick). */
    public static Placement of(Message m) {
      return new Placement(
          m.tenant(),
          m.queueName(),
          m.flowControl() == null ? null : m.flowControl().key(),
          m.scheduleId(),
          null);
    }
  }
}
