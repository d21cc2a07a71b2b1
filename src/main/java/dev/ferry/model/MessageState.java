package dev.ferry.model;

import java.util.Locale;
import java.util.Optional;

/**
 * The states a message passes through, one log entry per transition
 * (docs/compatibility.md#message-states). The wire name is the constant's name; QStash's docs spell
 * {@code CANCELLED} while every SDK enum says {@code CANCELED}, so Ferry emits {@code CANCELED} and
 * {@link #parse} accepts both.
 */
public enum MessageState {
  /** Accepted and durably stored by ingest (for queues: enqueued). */
  CREATED,
  /** Delivery started an attempt. */
  ACTIVE,
  /** The attempt failed and delivery scheduled another one ({@code nextDeliveryTime}). */
  RETRY,
  /** An attempt failed; carries the response (or transport error). Followed by RETRY or FAILED. */
  ERROR,
  /** The destination answered 2xx; the message left the store. */
  DELIVERED,
  /** Retries exhausted (or non-retryable): the message moved to the DLQ. */
  FAILED,
  /** A cancel request was recorded by the API. */
  CANCEL_REQUESTED,
  /** The cancel was honoured: the pending message left the store. */
  CANCELED;

  /** True for states after which a message has no further transitions. */
  public boolean terminal() {
    return this == DELIVERED || this == FAILED || this == CANCELED;
  }

  /** The state named {@code text} (case-insensitive; {@code CANCELLED} too), or empty. */
  public static Optional<MessageState> parse(String text) {
    String name = text.trim().toUpperCase(Locale.ROOT);
    if (name.equals("CANCELLED")) return Optional.of(CANCELED);
    for (MessageState s : values()) {
      if (s.name().equals(name)) return Optional.of(s);
    }
    return Optional.empty();
  }
}
