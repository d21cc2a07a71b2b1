package dev.ferry.delivery;

import dev.ferry.model.RetryDelayExpression;
import dev.ferry.ingest.Ids;
import dev.ferry.model.AttemptResult;
import dev.ferry.model.DlqEntry;
import dev.ferry.model.Message;
import dev.ferry.store.MessageStore;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an attempt's result into the store transition: DELIVERED (message leaves the store), RETRY (stored again with
 * its next due time) or FAILED (moved to the DLQ with its last response), after storing the attempt's callback
 * messages (see {@link Callbacks}: callbacks first, so a crash in between repeats rather than loses them). Completes with the retried message when
 * there will be another attempt, empty when the message is finished.
 */
final class Outcomes {
  private static final Logger LOG = LoggerFactory.getLogger(Outcomes.class);

  private final MessageStore messages;
  private final Callbacks callbacks;
  private final DeliveredBatch delivered;
  private final Clock clock;

  Outcomes(MessageStore messages, Callbacks callbacks, DeliveredBatch delivered, Clock clock) {
    this.messages = messages;
    this.callbacks = callbacks;
    this.delivered = delivered;
    this.clock = clock;
  }

  Future<Optional<Message>> record(Message m, AttemptResult result) {
    if (result.delivered()) {
      return callbacks.after(m, result, null)  // completes at once without a callback: batching is kept
          .compose(v -> delivered.add(m)).map(Optional.empty());
    }
    RetryPolicy.Decision decision = RetryPolicy.decide(m.maxRetries(), m.retried(),
        m.retryDelayExpression() == null ? null : RetryDelayExpression.parse(m.retryDelayExpression()),
        result.status(), result.headers(), clock.millis());
    if (decision.retry()) {
      Message next = m.retriedAt(decision.retryAt());
      LOG.debug("message {} attempt {} failed ({}), retry at {}", m.id(), m.retried(), describe(result),
          decision.retryAt());
      return callbacks.after(m, result, null)
          .compose(v -> messages.reschedule(m, next, result)).map(Optional.of(next));
    }
    // Operators see this through the rate-limited failed-attempt log (DeliveryEvents); unthrottled, it could flood.
    LOG.debug("message {} failed after {} attempt(s): {}", m.id(), m.retried() + 1, describe(result));
    String dlqId = Ids.newDlqId();
    return callbacks.after(m, result, dlqId)
        .compose(v -> messages.moveToDlq(m, new DlqEntry(dlqId, m, result))).map(Optional.empty());
  }

  private static String describe(AttemptResult r) {
    return r.status() == 0 ? r.error() : "HTTP " + r.status();
  }
}
