package dev.ferry.store.redis;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs the writes of one key (a workflow run) one after the other, in the order they were called:
 * the client's pooled connections would otherwise let two appends to a run reach Redis in either
 * order, and a write's outbox copy must be done before the run's next write adds to the entry.
 * Answers on the caller's context. Thread-safe.
 */
final class RunOrder {
  private final Map<String, Future<?>> tails = new ConcurrentHashMap<>();

  /** Runs {@code write} once every write of {@code key} called before it completed. */
  <T> Future<T> run(String key, Supplier<Future<T>> write) {
    Context caller = Vertx.currentContext();
    Promise<Void> mine = Promise.promise();
    AtomicReference<Future<?>> before = new AtomicReference<>();
    tails.compute(
        key,
        (k, tail) -> {
          before.set(tail);
          return mine.future();
        });
    Future<?> previous = before.get() == null ? Future.succeededFuture() : before.get();
    Promise<T> answer = Promise.promise();
    previous
        .transform(ignored -> start(write))
        .onComplete(
            ar -> {
              tails.remove(key, mine.future());
              mine.complete();
              if (caller == null || Vertx.currentContext() == caller) answer.handle(ar);
              else caller.runOnContext(v -> answer.handle(ar));
            });
    return answer.future();
  }

  private static <T> Future<T> start(Supplier<Future<T>> write) {
    try {
      return write.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
