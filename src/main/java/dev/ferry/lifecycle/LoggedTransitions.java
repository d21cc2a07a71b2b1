package dev.ferry.lifecycle;

import dev.ferry.delivery.Transitions;
import dev.ferry.model.AttemptResult;
import dev.ferry.model.LogRecord;
import dev.ferry.model.Message;
import dev.ferry.model.MessageState;
import dev.ferry.store.LogStore;
import java.util.List;

/**
 * Delivery's side of the lifecycle: logs ACTIVE before each attempt, ERROR then RETRY or FAILED
 * after a failed one, DELIVERED after a successful one, and keeps cancelled messages from being
 * attempted (see {@link Cancellations}). Runs on delivery event loops; only hands records to the
 * log store's queue.
 */
public final class LoggedTransitions implements Transitions {
  private final LogStore logs;
  private final Cancellations cancellations;

  public LoggedTransitions(LogStore logs, Cancellations cancellations) {
    this.logs = logs;
    this.cancellations = cancellations;
  }

  @Override
  public boolean starting(Message m) {
    if (cancellations.take(m.id())) return false;
    logs.record(LogRecord.of(m, MessageState.ACTIVE));
    return true;
  }

  @Override
  public boolean cancelledInFlight(Message m) {
    return cancellations.take(m.id());
  }

  @Override
  public boolean cancelled(Message m) {
    return cancellations.contains(m.id());
  }

  /**
   * The attempt happened, so the log says how it went; there is no RETRY or FAILED after a cancel.
   * Response fields appear on ERROR entries only (as in QStash); DELIVERED and FAILED carry none.
   */
  @Override
  public void endedAfterCancel(Message m, AttemptResult result) {
    logs.record(result.delivered() ? LogRecord.of(m, MessageState.DELIVERED) : error(m, result));
  }

  @Override
  public void delivered(Message m, AttemptResult result) {
    logs.record(LogRecord.of(m, MessageState.DELIVERED));
  }

  @Override
  public void retrying(Message m, AttemptResult result, long retryAt) {
    logs.recordAll(
        List.of(
            error(m, result),
            new LogRecord(m.tenant(), m.id(), MessageState.RETRY, null, retryAt, null, m)));
  }

  @Override
  public void failed(Message m, AttemptResult result, String dlqId) {
    logs.recordAll(List.of(error(m, result), LogRecord.of(m, MessageState.FAILED)));
  }

  private static LogRecord error(Message m, AttemptResult result) {
    String error = result.error() != null ? result.error() : "HTTP " + result.status();
    return new LogRecord(m.tenant(), m.id(), MessageState.ERROR, error, 0, result, m);
  }
}
