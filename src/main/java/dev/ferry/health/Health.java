package dev.ferry.health;

import dev.ferry.store.LogStore;
import dev.ferry.store.Stores;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Whether this Ferry should get traffic: it is <em>ready</em> while the API accepts requests (set
 * by {@code Ferry} once it listens, cleared first thing at shutdown) and the store takes a synced
 * write right now (a tiny probe write; fails when the store is closed, the disk is full or I/O
 * fails). Probes are shared: one at a time, and a result is reused for {@link #PROBE_REUSE_MILLIS},
 * so a flood of readiness requests costs at most one small write a second. It is <em>live</em>
 * unless a store is closed for good: one that failed a write and could not be reopened in place for
 * a reason other than space (a full disk only makes it unready: a restart would not bring space
 * back). Thread-safe.
 */
public final class Health {
  static final long PROBE_REUSE_MILLIS = 1000;
  static final long PROBE_TIMEOUT_MILLIS = 2000;

  /** One check's verdict; {@code detail} says why when it is down. */
  public record Check(boolean up, String detail) {
    static final Check UP = new Check(true, "ok");
  }

  /** The readiness verdict and the checks it was made of. */
  public record Readiness(boolean ready, Map<String, Check> checks) {}

  /** The liveness verdict, and the checks that are down (none while live). */
  public record Liveness(boolean live, Map<String, Check> down) {}

  private final Vertx vertx;
  private final Stores stores;
  private final LogStore logs;
  private volatile boolean accepting;
  private final Object lock = new Object();
  private Future<Check> probe; // guarded by lock
  private long probeDoneAt; // guarded by lock; System.nanoTime() / 1e6 of the last finished probe

  public Health(Vertx vertx, Stores stores, LogStore logs) {
    this.vertx = vertx;
    this.stores = stores;
    this.logs = logs;
  }

  /** The API listens ({@code true}) or is shutting down ({@code false}). */
  public void accepting(boolean accepting) {
    this.accepting = accepting;
  }

  public boolean accepting() {
    return accepting;
  }

  /**
   * Asks the stores whether they are closed for good; cheap (a field read each), so it may run on
   * an event loop.
   */
  public Liveness liveness() {
    Map<String, Check> down = new LinkedHashMap<>();
    stores.unrecoverable().ifPresent(reason -> down.put("store", new Check(false, reason)));
    logs.unrecoverable().ifPresent(reason -> down.put("logs", new Check(false, reason)));
    return new Liveness(down.isEmpty(), down);
  }

  /** Probes (or reuses a fresh probe of) the store and answers with the verdict. Never fails. */
  public Future<Readiness> readiness() {
    boolean http = accepting;
    return storeCheck()
        .map(
            store -> {
              Map<String, Check> checks = new LinkedHashMap<>();
              checks.put(
                  "http",
                  http
                      ? Check.UP
                      : new Check(false, "not accepting requests (starting or shutting down)"));
              checks.put("store", store);
              return new Readiness(http && store.up(), checks);
            });
  }

  private Future<Check> storeCheck() {
    synchronized (lock) {
      long now = System.nanoTime() / 1_000_000;
      if (probe != null && (!probe.isComplete() || now - probeDoneAt < PROBE_REUSE_MILLIS)) {
        return probe;
      }
      Promise<Check> result = Promise.promise();
      long timer =
          vertx.setTimer(
              PROBE_TIMEOUT_MILLIS,
              t ->
                  result.tryComplete(
                      new Check(
                          false, "a store write took longer than " + PROBE_TIMEOUT_MILLIS + "ms")));
      stores
          .probeWrite()
          .onComplete(
              ar -> {
                vertx.cancelTimer(timer);
                result.tryComplete(
                    ar.succeeded()
                        ? Check.UP
                        : new Check(false, "store write failed: " + describe(ar.cause())));
              });
      probe =
          result
              .future()
              .onComplete(
                  ar -> {
                    synchronized (lock) {
                      probeDoneAt = System.nanoTime() / 1_000_000;
                    }
                  });
      return probe;
    }
  }

  private static String describe(Throwable e) {
    if (e instanceof TimeoutException) return "timeout";
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
