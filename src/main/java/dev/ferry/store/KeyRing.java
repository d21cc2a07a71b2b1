package dev.ferry.store;

import dev.ferry.model.SigningKeys;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Every tenant's signing keys in force, held in memory for the delivery hot path and persisted on
 * rotation. The configured pair is where a tenant starts; a stored rotation wins while the
 * configured pair is unchanged, and an operator who configures a new pair wins over an older
 * rotation. Thread-safe.
 */
public final class KeyRing {
  private final SigningKeyStore store;
  private final KeyRotations rotations;
  private final Supplier<String> newKey;
  private final Map<String, SigningKeyStore.StoredKeys> keys = new ConcurrentHashMap<>();

  private KeyRing(SigningKeyStore store, KeyRotations rotations, Supplier<String> newKey) {
    this.store = store;
    this.rotations = rotations;
    this.newKey = newKey;
  }

  /**
   * Loads the stored keys of the configured tenants ({@code configured}: tenant → configured pair).
   */
  public static Future<KeyRing> load(
      SigningKeyStore store, Map<String, SigningKeys> configured, Supplier<String> newKey) {
    return load(store, KeyRotations.NONE, configured, newKey);
  }

  /** The same, told of (and telling) the rotations made by other processes that share the store. */
  public static Future<KeyRing> load(
      SigningKeyStore store,
      KeyRotations rotations,
      Map<String, SigningKeys> configured,
      Supplier<String> newKey) {
    KeyRing ring = new KeyRing(store, rotations, newKey);
    rotations.listen(ring::refresh);
    List<Future<Void>> loads = new ArrayList<>();
    configured.forEach(
        (tenant, pair) ->
            loads.add(
                store
                    .get(tenant)
                    .map(
                        stored -> {
                          boolean current =
                              stored.isPresent() && stored.get().configured().equals(pair);
                          ring.keys.put(
                              tenant,
                              current ? stored.get() : new SigningKeyStore.StoredKeys(pair, pair));
                          return null;
                        })));
    return Future.all(loads).map(ring);
  }

  /** The keys in force for the tenant. */
  public SigningKeys keys(String tenant) {
    SigningKeyStore.StoredKeys stored = keys.get(tenant);
    if (stored == null) throw new IllegalArgumentException("unknown tenant " + tenant);
    return stored.active();
  }

  /**
   * Rotates: current := next, next := a fresh key; completes once the new pair is durable and every
   * other process sharing the store signs with it ({@link KeyRotations}). Starts from the stored
   * pair, which another replica may have rotated.
   */
  public Future<SigningKeys> rotate(String tenant) {
    return refresh(tenant)
        .compose(
            v -> {
              SigningKeyStore.StoredKeys rotated =
                  keys.computeIfPresent(
                      tenant,
                      (t, old) ->
                          new SigningKeyStore.StoredKeys(
                              old.configured(),
                              new SigningKeys(old.active().next(), newKey.get())));
              return store
                  .put(tenant, rotated)
                  .compose(stored -> rotations.rotated(tenant))
                  .map(rotated.active());
            });
  }

  /**
   * Reads the tenant's stored keys again, so a rotation made by another replica sharing the store
   * is in force here too; the keys in force after it.
   */
  public Future<SigningKeys> refresh(String tenant) {
    SigningKeyStore.StoredKeys known = keys.get(tenant);
    if (known == null)
      return Future.failedFuture(new IllegalArgumentException("unknown tenant " + tenant));
    return store
        .get(tenant)
        .map(
            stored -> {
              // a stored rotation of an older configured pair stays overruled, as at load
              if (stored.isPresent() && stored.get().configured().equals(known.configured()))
                keys.put(tenant, stored.get());
              return keys(tenant);
            });
  }

  /** {@link #refresh} of every tenant; completes when all are read (failures left as they were). */
  public Future<Void> refreshAll() {
    List<Future<SigningKeys>> all = new ArrayList<>();
    for (String tenant : keys.keySet()) all.add(refresh(tenant));
    return Future.join(all).mapEmpty();
  }
}
