package dev.ferry.store;

import io.vertx.core.Future;
import java.util.Objects;

/**
 * One opened backend: the stores and the message log, built together by {@link StoreBackends#open}.
 * Their health hooks are on the stores themselves ({@link Stores#probeWrite}, {@link
 * Stores#unrecoverable}, {@link LogStore#unrecoverable}), their metrics hooks are the {@link
 * StoreMetrics} given to the factory and {@link Stores#pendingWrites}.
 */
public record StoreBackend(Stores stores, LogStore logs) {
  public StoreBackend {
    Objects.requireNonNull(stores);
    Objects.requireNonNull(logs);
  }

  /**
   * Closes the log, then the stores (the log reads the bodies of pending messages from them while
   * it drains).
   */
  public Future<Void> close() {
    return logs.close().eventually(stores::close);
  }
}
