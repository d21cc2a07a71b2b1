package dev.ferry.model;

/**
 * One state transition of one message, as delivery or the API reports it to the log. The time and
 * position are assigned by the log store when the record is accepted, so records of one process are
 * ordered as they were made.
 *
 * @param tenant owning tenant
 * @param messageId the message
 * @param state the state entered
 * @param error transport error or failure text (ERROR, FAILED), else null
 * @param nextDeliveryTime Unix ms of the next attempt (RETRY), else 0
 * @param response the attempt's response (ERROR, and DELIVERED/FAILED for their status), else null
 * @param message the message as it is now; the log keeps a snapshot of its descriptive fields once
 *     per message (taken from the CREATED record)
 */
public record LogRecord(
    String tenant,
    String messageId,
    MessageState state,
    String error,
    long nextDeliveryTime,
    AttemptResult response,
    Message message) {

  public static LogRecord of(Message m, MessageState state) {
    return new LogRecord(m.tenant(), m.id(), state, null, 0, null, m);
  }
}
