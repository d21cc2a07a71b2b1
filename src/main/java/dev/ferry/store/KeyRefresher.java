package dev.ferry.store;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;

/**
 * Reads every tenant's signing keys from a store shared by several replicas, every {@code period},
 * so a rotation made on one replica signs deliveries on all of them within that time
 * (docs/operations.md, "Several replicas on the Redis store"). {@code GET /v2/keys} and a rotation
 * read the store themselves. Deployed only when the store is shared.
 */
public final class KeyRefresher extends VerticleBase {
  private final KeyRing keys;
  private final Duration period;
  private long timerId = -1;
  private boolean reading;

  public KeyRefresher(KeyRing keys, Duration period) {
    this.keys = keys;
    this.period = period;
  }

  @Override
  public Future<?> start() {
    timerId =
        vertx.setPeriodic(
            period.toMillis(),
            t -> {
              if (reading) return;
              reading = true;
              keys.refreshAll().onComplete(ar -> reading = false);
            });
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timerId);
    return Future.succeededFuture();
  }
}
