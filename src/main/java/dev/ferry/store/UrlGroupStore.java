package dev.ferry.store;

import dev.ferry.model.UrlGroup;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * URL groups ("topics") and their endpoints per tenant. Durable (synced) writes; reads are cheap.
 */
public interface UrlGroupStore {

  Future<Optional<UrlGroup>> get(String tenant, String name);

  /** The tenant's groups sorted by name. */
  Future<List<UrlGroup>> list(String tenant);

  /** Creates or replaces the group. */
  Future<Void> put(UrlGroup group);

  /** Removes the group; completes with false when it was not there. */
  Future<Boolean> delete(String tenant, String name);
}
