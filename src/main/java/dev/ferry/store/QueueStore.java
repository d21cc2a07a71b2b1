package dev.ferry.store;

import dev.ferry.model.Queue;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * Queue definitions (name, parallelism, paused) per tenant. Durable (synced) writes; reads are
 * cheap.
 */
public interface QueueStore {

  Future<Optional<Queue>> get(String tenant, String name);

  /** The tenant's queues sorted by name. */
  Future<List<Queue>> list(String tenant);

  /** Every queue of every tenant (used at start-up to resume dispatching). */
  Future<List<Queue>> listAll();

  /** Creates or replaces the queue definition. */
  Future<Void> put(Queue queue);

  /** Removes the definition; completes with false when it was not there. */
  Future<Boolean> delete(String tenant, String name);
}
