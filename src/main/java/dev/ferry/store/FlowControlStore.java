package dev.ferry.store;

import dev.ferry.model.FlowControlSettings;
import io.vertx.core.Future;
import java.util.List;

/**
 * Operator settings of flow-control keys (pause, pins) per tenant. Durable (synced) writes; reads
 * are cheap.
 */
public interface FlowControlStore {
  /** Keeps nothing: for delivery partitions built without a store (tests). */
  FlowControlStore NONE =
      new FlowControlStore() {
        @Override
        public Future<List<FlowControlSettings>> listAll() {
          return Future.succeededFuture(List.of());
        }

        @Override
        public Future<Void> put(FlowControlSettings settings) {
          return Future.succeededFuture();
        }

        @Override
        public Future<Boolean> delete(String tenant, String key) {
          return Future.succeededFuture(false);
        }
      };

  /** Every key's settings, every tenant (read at start-up by delivery). */
  Future<List<FlowControlSettings>> listAll();

  /** Creates or replaces the key's settings. */
  Future<Void> put(FlowControlSettings settings);

  /** Forgets the key's settings; completes with false when there were none. */
  Future<Boolean> delete(String tenant, String key);
}
