package dev.ferry.delivery;

import dev.ferry.delivery.callback.Callbacks;
import dev.ferry.ingest.Ids;
import dev.ferry.model.AttemptResult;
import dev.ferry.model.DlqEntry;
import dev.ferry.model.Message;
import dev.ferry.model.RetryDelayExpression;
import dev.ferry.store.MessageStore;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an attempt's result into the store transition: DELIVERED (message leaves the store), RETRY
 * (stored again with its next due time) or FAILED (moved to the DLQ with its last response, or as
 * {@link Endings} says), after storing the attempt's callback messages (see {@link Callbacks}:
 * callbacks first, so a crash in between repeats rather than loses them). Completes with the
 * retried message when there will be another attempt, empty when the message is finished.
 */
final class Outcomes {
  private static final Logger LOG = LoggerFactory.getLogger(Outcomes.class);

  private final MessageStore messages;
  private final Endings endings;
  private final Callbacks callbacks;
  private final DeliveredBatch delivered;
  private final Clock clock;
  private final Transitions transitions;

  Outcomes(
      MessageStore messages,
      Endings endings,
      Callbacks callbacks,
      DeliveredBatch delivered,
      Clock clock,
      Transitions transitions) {
    this.messages = messages;
    this.endings = endings;
    this.callbacks = callbacks;
    this.delivered = delivered;
    this.clock = clock;
    this.transitions = transitions;
  }

  Future<Optional<Message>> record(Message m, AttemptResult result) {
    if (transitions.cancelledInFlight(m)) {
      // the cancel already removed it from the store: no retry, no DLQ entry, nothing to resurrect
      transitions.endedAfterCancel(m, result);
      return Future.succeededFuture(Optional.empty());
    }
    if (result.delivered()) {
      return callbacks
          .after(m, result, null) // completes at once without a callback: batching is kept
          .compose(v -> endings.delivered(m, result))
          .compose(v -> delivered.add(m))
          .map(
              v -> {
                transitions.delivered(m, result);
                return Optional.<Message>empty();
              });
    }
    RetryPolicy.Decision decision =
        RetryPolicy.decide(
            m.maxRetries(),
            m.retried(),
            m.retryDelayExpression() == null
                ? null
                : RetryDelayExpression.parse(m.retryDelayExpression()),
            result.status(),
            result.headers(),
            clock.millis());
    if (decision.retry()) {
      Message next = m.retriedAt(decision.retryAt());
      LOG.debug(
          "message {} attempt {} failed ({}), retry at {}",
          m.id(),
          m.retried(),
          describe(result),
          decision.retryAt());
      return callbacks
          .after(m, result, null)
          .compose(v -> messages.reschedule(m, next, result))
          .map(
              v -> {
                transitions.retrying(m, result, next.dueAt());
                return Optional.of(next);
              });
    }
    // Operators see this through the rate-limited failed-attempt log (DeliveryEvents); unthrottled,
    // it could flood.
    LOG.debug(
        "message {} failed after {} attempt(s): {}", m.id(), m.retried() + 1, describe(result));
    String dlqId = Ids.newDlqId();
    return callbacks
        .after(m, result, dlqId)
        .compose(v -> endings.failed(m, new DlqEntry(dlqId, m, result)))
        .map(
            v -> {
              transitions.failed(m, result, dlqId);
              return Optional.<Message>empty();
            });
  }

  /** Whether a failure for good of {@code m} keeps it in the DLQ. */
  boolean keepsInDlq(Message m) {
    return endings.keepsInDlq(m);
  }

  private static String describe(AttemptResult r) {
    return r.status() == 0 ? r.error() : "HTTP " + r.status();
  }
}
