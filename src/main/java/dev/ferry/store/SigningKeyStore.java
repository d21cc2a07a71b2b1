package dev.ferry.store;

import dev.ferry.model.SigningKeys;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Each tenant's signing keys as last rotated, with the configured pair they were derived from (so
 * that an operator who changes the configured keys wins over an older rotation). Durable (synced)
 * writes.
 */
public interface SigningKeyStore {

  /** The stored record for the tenant, if any. */
  Future<Optional<StoredKeys>> get(String tenant);

  Future<Void> put(String tenant, StoredKeys keys);

  /** The keys in force plus the configured pair they descend from. */
  record StoredKeys(SigningKeys configured, SigningKeys active) {}
}
