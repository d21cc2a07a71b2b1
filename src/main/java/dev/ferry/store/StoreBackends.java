package dev.ferry.store;

import dev.ferry.config.ConfigException;
import dev.ferry.config.FerryConfig;
import dev.ferry.store.embedded.EmbeddedLogStore;
import dev.ferry.store.embedded.EmbeddedStores;
import dev.ferry.store.embedded.WriteLimits;
import io.vertx.core.Future;
import java.time.Clock;

/**
 * Opens the backend that {@code storage.kind} names; the one place outside {@code store/embedded}
 * that knows the embedded types (besides the embedded-only {@code repair-store} command). A second
 * backend is one more branch here and one more run of the {@code *Contract} suites.
 */
public final class StoreBackends {
  /**
   * RocksDB on local disk, in {@code storage.dataDir}; the message log in its own RocksDB under
   * {@code logs/}.
   */
  public static final String EMBEDDED = "embedded";

  private StoreBackends() {}

  /**
   * Opens the stores and the message log (a disabled one when {@code logs.enabled} is false). Fails
   * with a {@link ConfigException} when {@code storage.kind} names no backend, with a {@link
   * StoreDamagedException} when the data is damaged; whatever was opened before a failure is closed
   * again.
   *
   * @param metrics hears about every write the stores commit
   */
  public static Future<StoreBackend> open(FerryConfig config, StoreMetrics metrics, Clock clock) {
    String kind = config.storage().kind();
    if (!EMBEDDED.equals(kind)) {
      // the config reader refuses other kinds already: this guards configurations built in code
      return Future.failedFuture(
          new ConfigException(
              "storage.kind: must be \"embedded\" (the only store "
                  + "available), got "
                  + (kind == null ? "null" : "\"" + kind + "\"")));
    }
    return embedded(config, metrics, clock);
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
