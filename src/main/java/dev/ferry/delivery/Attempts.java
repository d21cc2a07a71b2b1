package dev.ferry.delivery;

import dev.ferry.delivery.callback.Callbacks;
import dev.ferry.model.Message;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Optional;

/**
 * One attempt, start to recorded outcome, completing back on the calling delivery context (the
 * store's promise).
 */
final class Attempts {
  private final Deliverer deliverer;
  private final Outcomes outcomes;
  private final DeliveryEvents events;
  private final Callbacks callbacks;
  private final Transitions transitions;
  private final DeliveryDrain drain;

  Attempts(
      Deliverer deliverer,
      Outcomes outcomes,
      DeliveryEvents events,
      Callbacks callbacks,
      Transitions transitions,
      DeliveryDrain drain) {
    this.drain = drain;
    this.deliverer = deliverer;
    this.outcomes = outcomes;
    this.events = events;
    this.callbacks = callbacks;
    this.transitions = transitions;
  }

  /**
   * Delivers once and records the result; completes with the retried message, or empty when
   * finished. A message cancelled since it was read from the store is not attempted (it is
   * finished: the cancel removed it).
   */
  Future<Optional<Message>> run(Message m) {
    if (!drain.enter()) return pendingAfterShutdown();
    if (!transitions.starting(m)) {
      drain.exit();
      callbacks.finished(
          m.id()); // a cancelled callback message: its source's queue must not wait for it
      return Future.succeededFuture(Optional.empty());
    }
    events.attemptStarted(m);
    long started = System.nanoTime();
    return deliverer
        .attempt(m)
        .compose(
            result -> {
              if (drain.abandoned()) return pendingAfterShutdown();
              long took = System.nanoTime() - started;
              return outcomes
                  .record(m, result)
                  .onComplete(
                      ar ->
                          events.attemptEnded(
                              m,
                              result,
                              took,
                              ar.failed()
                                  ? DeliveryEvents.Outcome.UNRECORDED
                                  : ar.result().isPresent()
                                      ? DeliveryEvents.Outcome.RETRY
                                      : result.delivered()
                                          ? DeliveryEvents.Outcome.DELIVERED
                                          : DeliveryEvents.Outcome.FAILED,
                              ar.succeeded() && ar.result().isPresent()
                                  ? ar.result().get().dueAt()
                                  : -1));
            })
        .onComplete(ar -> drain.exit())
        .onSuccess(
            retry -> {
              if (retry.isEmpty())
                callbacks.finished(m.id()); // a callback message done: its source's queue may go on
            });
  }

  /**
   * Shutting down: nothing is recorded and nobody hears back (the future never completes), so the
   * message stays pending in the store as it was and is delivered again after the restart.
   */
  private static Future<Optional<Message>> pendingAfterShutdown() {
    return Promise.<Optional<Message>>promise().future();
  }
}
