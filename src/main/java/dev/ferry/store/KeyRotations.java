package dev.ferry.store;

import io.vertx.core.Future;
import java.util.function.Function;

/**
 * How a rotation of a tenant's signing keys reaches every process that shares the store: {@link
 * #rotated} tells them all and completes once each has read the keys again (or after a bound), so
 * that when {@code POST /v2/keys/rotate} answers, every live replica signs with the new pair. A
 * store one process has to itself has nobody to tell ({@link #NONE}). Thread-safe.
 */
public interface KeyRotations {
  /** Nobody else signs. */
  KeyRotations NONE =
      new KeyRotations() {
        @Override
        public Future<Void> rotated(String tenant) {
          return Future.succeededFuture();
        }

        @Override
        public void listen(Function<String, Future<?>> reread) {}
      };

  /** The tenant's keys were rotated (and stored) here. */
  Future<Void> rotated(String tenant);

  /**
   * What this process does when another rotated a tenant's keys: read them again ({@code reread},
   * completing once they are in force here). Set once, at start.
   */
  void listen(Function<String, Future<?>> reread);
}
