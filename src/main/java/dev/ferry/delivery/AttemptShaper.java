package dev.ferry.delivery;

import dev.ferry.model.Message;
import io.vertx.core.Future;

/**
 * What one attempt of a stored message sends, where that is built at delivery time (a workflow
 * step's delivery lists the run's steps so far). The stored message is left as it is: retries,
 * callbacks and the DLQ keep working on it. Called on the delivery event loop; must not block. A
 * failed future fails the attempt.
 */
@FunctionalInterface
public interface AttemptShaper {
  /** Sends every message as stored. */
  AttemptShaper NONE = Future::succeededFuture;

  Future<Message> shape(Message stored);
}
