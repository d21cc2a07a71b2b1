package dev.ferry.store;

import dev.ferry.model.FlowControlSettings;
import io.vertx.core.Future;
import java.util.List;

/** Operator settings of flow-control keys (pause, pins) per tenant. Durable (synced) writes; reads are cheap. */
public interface FlowControlStore {

  /** Every key's settings, every tenant (read at start-up by delivery). */
  Future<List<FlowControlSettings>> listAll();

  /** Creates or replaces the key's settings. */
  Future<Void> put(FlowControlSettings settings);

  /** Forgets the key's settings; completes with false when there were none. */
  Future<Boolean> delete(String tenant, String key);
}
