package dev.ferry.delivery;

import dev.ferry.delivery.callback.Callbacks;
import dev.ferry.model.AttemptResult;
import dev.ferry.model.Message;
import dev.ferry.store.OwnershipLostException;
import dev.ferry.store.PartitionOwnership;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt, start to recorded outcome, completing back on the calling delivery context (the
 * store's promise).
 */
final class Attempts {
  private static final Logger LOG = LoggerFactory.getLogger(Attempts.class);

  private final Deliverer deliverer;
  private final Outcomes outcomes;
  private final DeliveryEvents events;
  private final Callbacks callbacks;
  private final Transitions transitions;
  private final DeliveryDrain drain;
  private final PartitionOwnership ownership;

  Attempts(
      Deliverer deliverer,
      Outcomes outcomes,
      DeliveryEvents events,
      Callbacks callbacks,
      Transitions transitions,
      DeliveryDrain drain,
      PartitionOwnership ownership) {
    this.drain = drain;
    this.ownership = ownership;
    this.deliverer = deliverer;
    this.outcomes = outcomes;
    this.events = events;
    this.callbacks = callbacks;
    this.transitions = transitions;
  }

  /**
   * Delivers once and records the result; completes with the retried message, or empty when
   * finished. A message cancelled since it was read from the store is not attempted (it is
   * finished: the cancel removed it). A message this process no longer owns is not attempted
   * either, nor sent when another process took it over while its attempt waited for a connection,
   * and one whose outcome the store refused because another process took it over meanwhile ({@link
   * OwnershipLostException}) is dropped: all complete empty, leaving the message to its owner, with
   * nothing recorded (no retry used, no DLQ entry).
   */
  Future<Optional<Message>> run(Message m) {
    if (!owns(ownership, m)) {
      LOG.debug("message {}: owned by another replica now; its copy here is dropped", m.id());
      return Future.succeededFuture(Optional.empty());
    }
    if (!drain.enter(m)) return pendingAfterShutdown();
    if (!transitions.starting(m)) {
      drain.exit(m);
      callbacks.finished(
          m.id()); // a cancelled callback message: its source's queue must not wait for it
      return Future.succeededFuture(Optional.empty());
    }
    events.attemptStarted(m);
    long started = System.nanoTime();
    boolean[] dropped = {false};
    BooleanSupplier withdrawn =
        () -> {
          dropped[0] = !owns(ownership, m); // moved to another process while it waited: not sent
          return dropped[0] || transitions.cancelled(m);
        };
    return deliverer
        .attempt(m, withdrawn)
        .compose(
            result -> {
              if (drain.abandoned()) return pendingAfterShutdown();
              long took = System.nanoTime() - started;
              return record(m, result, dropped)
                  .onComplete(
                      ar ->
                          events.attemptEnded(
                              m,
                              result,
                              took,
                              ar.failed()
                                  ? DeliveryEvents.Outcome.UNRECORDED
                                  : dropped[0]
                                      ? DeliveryEvents.Outcome.DROPPED
                                      : ar.result().isPresent()
                                          ? DeliveryEvents.Outcome.RETRY
                                          : result.delivered()
                                              ? DeliveryEvents.Outcome.DELIVERED
                                              : outcomes.keepsInDlq(m)
                                                  ? DeliveryEvents.Outcome.FAILED
                                                  : DeliveryEvents.Outcome.FAILED_IN_RUN,
                              ar.succeeded() && ar.result().isPresent()
                                  ? ar.result().get().dueAt()
                                  : -1));
            })
        .onComplete(ar -> drain.exit(m))
        .onSuccess(
            retry -> {
              if (retry.isEmpty() && !dropped[0])
                callbacks.finished(m.id()); // a callback message done: its source's queue may go on
            });
  }

  /**
   * Records the attempt's outcome, unless the message moved to another process: while its attempt
   * waited for a connection ({@code dropped} already set, nothing was sent), or meanwhile, as the
   * store says by refusing the outcome (then {@code dropped} is set here).
   */
  private Future<Optional<Message>> record(Message m, AttemptResult result, boolean[] dropped) {
    if (dropped[0]) return dropped(m);
    return outcomes
        .record(m, result)
        .recover(
            e -> {
              if (!(e instanceof OwnershipLostException)) return Future.failedFuture(e);
              dropped[0] = true;
              return dropped(m);
            });
  }

  /** Whether this process may attempt {@code m} now. */
  static boolean owns(PartitionOwnership ownership, Message m) {
    return ownership.ownsMessage(
        m.id(),
        m.tenant(),
        m.queueName(),
        m.flowControl() == null ? null : m.flowControl().key(),
        m.scheduleId());
  }

  /**
   * Another process took the message over while its attempt ran: the store refused the outcome, and
   * the owner delivers it (at least once: it may repeat this attempt).
   */
  private static Future<Optional<Message>> dropped(Message m) {
    LOG.info(
        "message {}: another replica took it over during its attempt; the outcome here is dropped",
        m.id());
    return Future.succeededFuture(Optional.empty());
  }

  /**
   * Shutting down: nothing is recorded and nobody hears back (the future never completes), so the
   * message stays pending in the store as it was and is delivered again after the restart.
   */
  private static Future<Optional<Message>> pendingAfterShutdown() {
    return Promise.<Optional<Message>>promise().future();
  }
}
