package dev.ferry.support;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/** Brings a future's completion back onto a Vert.x context (store futures complete on the store's own threads). */
public final class Contexts {
  private Contexts() {}

  public static <T> Future<T> on(Context context, Future<T> future) {
    Promise<T> promise = Promise.promise();
    future.onComplete(ar -> {
      if (Context.isOnEventLoopThread() && context == io.vertx.core.Vertx.currentContext()) {
        promise.handle(ar);
      } else {
        context.runOnContext(v -> promise.handle(ar));
      }
    });
    return promise.future();
  }
}
