package dev.ferry.store.embedded;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * The answer to one store call, completed by a store thread (writer, reader, opener) but delivered
 * on the caller's Vert.x context when it had one. Without the hop, callers' continuations would run
 * on the single writer thread and slow every group commit behind them. Completing twice is a no-op
 * (the writer's last-resort error path relies on it).
 */
final class Reply<T> {
  private final Promise<T> promise = Promise.promise();
  private final Context context = Vertx.currentContext();

  Future<T> future() {
    return promise.future();
  }

  void succeed(T value) {
    if (context == null) {
      promise.tryComplete(value);
    } else {
      context.runOnContext(v -> promise.tryComplete(value));
    }
  }

  /**
   * The caller's context, null when it had none (then {@link #succeed} completes on the calling
   * thread).
   */
  Context context() {
    return context;
  }

  /**
   * Completes on the calling thread, which must be the caller's context: for a hop that carries
   * many replies.
   */
  void succeedHere(T value) {
    promise.tryComplete(value);
  }

  void fail(Throwable failure) {
    if (context == null) {
      promise.tryFail(failure);
    } else {
      context.runOnContext(v -> promise.tryFail(failure));
    }
  }
}
