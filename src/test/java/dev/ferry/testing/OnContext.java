package dev.ferry.testing;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs a client call on a Vert.x context and waits for it from a plain thread (JUnit's, the bench
 * orchestrator's). With Vert.x 5.0.7, a keep-alive {@code HttpClient} request issued from a
 * non-Vert.x thread was now and then never answered although the server had sent its response
 * (about 1 in 5,000 sequential requests; the same loop issued from an event loop: none in 18,000;
 * Ferry's own requests are always issued from its event loops).
 */
public final class OnContext {
  private OnContext() {}

  public static <T> T await(Context context, Supplier<Future<T>> call, Duration timeout)
      throws Exception {
    Promise<T> done = Promise.promise();
    context.runOnContext(
        v -> {
          try {
            call.get().onComplete(done);
          } catch (RuntimeException e) {
            done.fail(e);
          }
        });
    return done.future().await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
