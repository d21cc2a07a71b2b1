package dev.ferry.delivery;

import dev.ferry.model.AttemptResult;
import dev.ferry.model.Message;

/**
 * What delivery tells the rest of Ferry about each attempt (metrics, the failed-attempt log), wired
 * in {@code Ferry}. Called on the delivery event loop for every attempt, so implementations must be
 * cheap, must not block and must not throw.
 */
public interface DeliveryEvents {
  /** Does nothing. */
  DeliveryEvents NONE = new DeliveryEvents() {};

  /** How an attempt ended, as recorded in the store. */
  enum Outcome {
    /** 2xx: the message is finished. */
    DELIVERED,
    /** Failed; another attempt is scheduled. */
    RETRY,
    /** Failed for good: the message is in the DLQ. */
    FAILED,
    /**
     * Failed for good and kept in its workflow run, not the DLQ: a run's failure callback, whose
     * end the run's DLQ entry reports ({@code failureCallbackInfo}).
     */
    FAILED_IN_RUN,
    /** The store could not record the outcome; the message stays pending and is tried again. */
    UNRECORDED,
    /**
     * The store refused the outcome because another process owns the message now (see {@code
     * PartitionOwnership}); that process delivers it, this one forgets its copy.
     */
    DROPPED
  }

  /** An attempt of {@code m} is about to be sent. */
  default void attemptStarted(Message m) {}

  /**
   * The attempt started by {@link #attemptStarted} ended.
   *
   * @param result what the destination answered (or the transport error)
   * @param attemptNanos time from sending to the complete response (or the error)
   * @param outcome the transition recorded in the store
   * @param retryAt Unix ms of the next attempt when {@code outcome} is {@link Outcome#RETRY}, else
   *     -1
   */
  default void attemptEnded(
      Message m, AttemptResult result, long attemptNanos, Outcome outcome, long retryAt) {}

  /** Tells each of {@code listeners}, in order. */
  static DeliveryEvents all(DeliveryEvents... listeners) {
    DeliveryEvents[] all = listeners.clone();
    return new DeliveryEvents() {
      @Override
      public void attemptStarted(Message m) {
        for (DeliveryEvents l : all) l.attemptStarted(m);
      }

      @Override
      public void attemptEnded(
          Message m, AttemptResult result, long attemptNanos, Outcome outcome, long retryAt) {
        for (DeliveryEvents l : all) l.attemptEnded(m, result, attemptNanos, outcome, retryAt);
      }
    };
  }
}
