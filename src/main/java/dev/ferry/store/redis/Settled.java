package dev.ferry.store.redis;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Joins calls sent to Redis at once (one per partition, say): every store of the backend fans out
 * this way, so the join lives on its own rather than in one of them.
 */
final class Settled {
  private Settled() {}

  /**
   * Waits for every call (so a failure is reported only once the others settled), then fails with
   * the first failure, if any.
   */
  static <T> Future<List<T>> all(List<Future<T>> calls) {
    return Future.join(calls)
        .transform(
            ar -> {
              for (Future<T> f : calls) {
                if (f.failed()) return Future.failedFuture(f.cause());
              }
              List<T> results = new ArrayList<>(calls.size());
              for (Future<T> f : calls) results.add(f.result());
              return Future.succeededFuture(results);
            });
  }
}
