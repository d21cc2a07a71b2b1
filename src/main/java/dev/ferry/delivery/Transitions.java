package dev.ferry.delivery;

import dev.ferry.model.AttemptResult;
import dev.ferry.model.Message;

/**
 * What delivery reports about each message's transitions (the message log) and asks before each
 * attempt (whether the message was cancelled), wired in {@code Ferry}. Called on delivery event
 * loops: implementations must be cheap, must not block and must not throw.
 */
public interface Transitions {
  /** Logs nothing and knows of no cancellation. */
  Transitions NONE = new Transitions() {};

  /**
   * An attempt of {@code m} is about to start; false means its message was cancelled (it has
   * already left the store) and the attempt must not be made.
   */
  default boolean starting(Message m) {
    return true;
  }

  /**
   * Whether {@code m} was cancelled while its attempt was in flight; if so, delivery records
   * nothing more for it (the store has already let it go) beyond {@link #endedAfterCancel}.
   */
  default boolean cancelledInFlight(Message m) {
    return false;
  }

  /**
   * Whether {@code m} has been cancelled since its attempt started, without answering for it as
   * {@link #cancelledInFlight} does: asked when an attempt that waited for a connection gets one.
   */
  default boolean cancelled(Message m) {
    return false;
  }

  /** The attempt of a message cancelled while it was in flight ended. */
  default void endedAfterCancel(Message m, AttemptResult result) {}

  /** The attempt succeeded; the message left the store. */
  default void delivered(Message m, AttemptResult result) {}

  /** The attempt failed; the next one is due at {@code retryAt}. */
  default void retrying(Message m, AttemptResult result, long retryAt) {}

  /** The attempt failed for good; the message is in the DLQ as {@code dlqId}. */
  default void failed(Message m, AttemptResult result, String dlqId) {}
}
