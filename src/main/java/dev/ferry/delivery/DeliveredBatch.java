package dev.ferry.delivery;

import dev.ferry.model.Message;
import dev.ferry.store.MessageStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the messages delivered on one event loop and removes them from the store together:
 * everything that succeeded within one turn of the loop (or {@link #MAX} of them) becomes one store
 * operation instead of one each — on the delivery path, the per-operation costs (queueing to the
 * writer, its bookkeeping, the answer's hop back) were a large part of what a delivery cost beyond
 * the HTTP exchange itself. Each caller still hears back only once its message's removal is
 * written. Confined to its delivery context.
 */
final class DeliveredBatch {
  static final int MAX = 512;

  private final MessageStore messages;
  private final Context context;
  private List<Message> pending = new ArrayList<>();
  private Promise<Void> written;

  DeliveredBatch(MessageStore messages, Context context) {
    this.messages = messages;
    this.context = context;
  }

  /** Queues the removal of a delivered message; completes when it is written. */
  Future<Void> add(Message m) {
    if (pending.isEmpty()) {
      written = Promise.promise();
      context.runOnContext(
          v -> flush()); // after the rest of this turn: gathers what else completes now
    }
    pending.add(m);
    Future<Void> done = written.future();
    if (pending.size() >= MAX) flush();
    return done;
  }

  private void flush() {
    if (pending.isEmpty()) return;
    List<Message> batch = pending;
    Promise<Void> promise = written;
    pending = new ArrayList<>();
    written = null;
    messages.markAllDelivered(batch).onComplete(promise);
  }
}
