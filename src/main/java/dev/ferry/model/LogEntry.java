package dev.ferry.model;

/**
 * One stored log entry as read back, joined with the message snapshot.
 *
 * @param position store-wide order of the entry (Unix ms in the high bits, a sequence in the low
 *     16): what cursors point at
 * @param time Unix ms of the transition
 * @param messageId the message
 * @param state the state entered
 * @param error error text, or null
 * @param nextDeliveryTime Unix ms of the next attempt, or 0
 * @param response the attempt's response (status, headers, capped body), or null
 * @param message the message snapshot taken when it was created, or null when the log has none
 *     (e.g. it was created while logs were off)
 */
public record LogEntry(
    long position,
    long time,
    String messageId,
    MessageState state,
    String error,
    long nextDeliveryTime,
    AttemptResult response,
    Message message) {}
