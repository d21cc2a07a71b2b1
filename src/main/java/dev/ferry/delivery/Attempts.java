package dev.ferry.delivery;

import dev.ferry.model.Message;
import io.vertx.core.Future;
import java.util.Optional;

/** One attempt, start to recorded outcome, completing back on the calling delivery context (the store's promise). */
final class Attempts {
  private final Deliverer deliverer;
  private final Outcomes outcomes;

  Attempts(Deliverer deliverer, Outcomes outcomes) {
    this.deliverer = deliverer;
    this.outcomes = outcomes;
  }

  /** Delivers once and records the result; completes with the retried message, or empty when finished. */
  Future<Optional<Message>> run(Message m) {
    return deliverer.attempt(m).compose(result -> outcomes.record(m, result));
  }
}
