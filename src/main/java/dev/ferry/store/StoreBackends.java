package dev.ferry.store;

import dev.ferry.config.ConfigException;
import dev.ferry.config.FerryConfig;
import dev.ferry.store.embedded.EmbeddedLogStore;
import dev.ferry.store.embedded.EmbeddedStores;
import dev.ferry.store.embedded.WriteLimits;
import dev.ferry.store.redis.RedisLogStore;
import dev.ferry.store.redis.RedisStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;

/**
 * Opens the backend that {@code storage.kind} names; the one place outside {@code store/embedded}
 * and {@code store/redis} that knows their types (besides the embedded-only {@code repair-store}
 * command). Each backend runs the same {@code *Contract} suites.
 */
public final class StoreBackends {
  /**
   * RocksDB on local disk, in {@code storage.dataDir}; the message log in its own RocksDB under
   * {@code logs/}.
   */
  public static final String EMBEDDED = "embedded";

  /** Every store and the message log in a shared Redis ({@code storage.redis}); no local disk. */
  public static final String REDIS = "redis";

  private StoreBackends() {}

  /**
   * Opens the stores and the message log (a disabled one when {@code logs.enabled} is false). Fails
   * with a {@link ConfigException} when {@code storage.kind} names no backend, with a {@link
   * StoreDamagedException} when the data is damaged; whatever was opened before a failure is closed
   * again.
   *
   * @param metrics hears about every write the stores commit
   */
  public static Future<StoreBackend> open(
      Vertx vertx, FerryConfig config, StoreMetrics metrics, Clock clock) {
    String kind = config.storage().kind();
    if (EMBEDDED.equals(kind)) return embedded(config, metrics, clock);
    if (REDIS.equals(kind)) return redis(vertx, config, metrics, clock);
    // the config reader refuses other kinds already: this guards configurations built in code
    return Future.failedFuture(
        new ConfigException(
            "storage.kind: must be \"embedded\" or \"redis\", got "
                + (kind == null ? "null" : "\"" + kind + "\"")));
  }

  /**
   * Every store in Redis; the message log too (or none when {@code logs.enabled} is false), on the
   * stores' connection. Opened as one replica among any number: it leases its share of the
   * partitions and fences its delivery writes, even while it is alone, since another may join at
   * any time. Redis being unreachable at start fails it with a {@code StoreUnavailableException}.
   */
  private static Future<StoreBackend> redis(
      Vertx vertx, FerryConfig config, StoreMetrics metrics, Clock clock) {
    return RedisStores.openReplica(
            vertx, config.storage().redis(), metrics, RedisStores.newReplicaId())
        .map(
            stores ->
                new StoreBackend(
                    stores,
                    config.logs().enabled()
                        ? RedisLogStore.create(
                            vertx, stores, clock::millis, config.overload().deliveryBytesBudget())
                        : new DisabledLogStore()));
  }

  private static Future<StoreBackend> embedded(
      FerryConfig config, StoreMetrics metrics, Clock clock) {
    FerryConfig.Overload overload = config.overload();
    WriteLimits limits = new WriteLimits(overload.maxPendingWrites(), overload.minFreeDiskBytes());
    return EmbeddedStores.open(config.storage().dataDir(), metrics, limits)
        .compose(
            stores ->
                embeddedLogs(config, clock, stores)
                    .map(logs -> new StoreBackend(stores, logs))
                    .recover(e -> stores.close().transform(ignored -> Future.failedFuture(e))));
  }

  /**
   * The message log: its own RocksDB in {@code <dataDir>/logs}, or nothing when {@code
   * logs.enabled} is false.
   */
  private static Future<LogStore> embeddedLogs(FerryConfig config, Clock clock, Stores stores) {
    if (!config.logs().enabled()) return Future.succeededFuture(new DisabledLogStore());
    // entries waiting for the log writer pin message bodies: as much as delivery may hold, no more
    return EmbeddedLogStore.open(
            config.storage().dataDir().resolve("logs"),
            clock::millis,
            stores.messages(),
            config.overload().minFreeDiskBytes(),
            config.overload().deliveryBytesBudget())
        .map(l -> l);
  }
}
