package dev.ferry.delivery;

import dev.ferry.model.Message;
import io.vertx.core.Future;
import java.util.Optional;

/** One attempt, start to recorded outcome, completing back on the calling delivery context (the store's promise). */
final class Attempts {
  private final Deliverer deliverer;
  private final Outcomes outcomes;
  private final Callbacks callbacks;

  Attempts(Deliverer deliverer, Outcomes outcomes, Callbacks callbacks) {
    this.deliverer = deliverer;
    this.outcomes = outcomes;
    this.callbacks = callbacks;
  }

  /** Delivers once and records the result; completes with the retried message, or empty when finished. */
  Future<Optional<Message>> run(Message m) {
    return deliverer.attempt(m).compose(result -> outcomes.record(m, result)).onSuccess(retry -> {
      if (retry.isEmpty()) callbacks.finished(m.id());  // a callback message done: its source's queue may go on
    });
  }
}
