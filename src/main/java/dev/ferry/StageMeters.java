package dev.ferry;

import dev.ferry.config.FerryConfig;
import dev.ferry.delivery.Deliverer;
import dev.ferry.delivery.hosts.HostShares;
import dev.ferry.metrics.FerryMetrics;
import dev.ferry.metrics.ShedMeters;
import dev.ferry.overload.ShedCounter;
import dev.ferry.overload.Shedding;
import dev.ferry.store.LogStore;
import dev.ferry.store.Stores;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;

/**
 * The meters that watch objects built while wiring (host shares, the deliverer, the message log,
 * the API's admission gate, the store's write queue), registered once the objects exist.
 */
final class StageMeters {
  private StageMeters() {}

  static void register(
      FerryMetrics metrics, HostShares shares, Deliverer deliverer, LogStore logs) {
    if (!metrics.enabled()) return;
    Gauge.builder(
            "ferry_delivery_waiting_for_connection", deliverer, Deliverer::waitingForConnection)
        .description(
            "attempts waiting for a connection to their destination (all of its pooled connections are busy); "
                + "their timeout starts once they have one")
        .register(metrics.registry());
    Gauge.builder("ferry_delivery_parked", shares, HostShares::parked)
        .description(
            "unqueued due messages waiting because their destination host holds its share of the slots")
        .register(metrics.registry());
    FunctionCounter.builder("ferry_log_entries_dropped", logs, LogStore::dropped)
        .description("message log entries dropped because the log writer could not keep up")
        .register(metrics.registry());
  }

  /**
   * The API's admission gate and where shed requests are counted ({@code
   * ferry_requests_shed_total}).
   */
  static Shedding shedding(FerryConfig config, FerryMetrics metrics, Stores stores) {
    if (!metrics.enabled()) return Shedding.of(config.overload(), ShedCounter.NONE);
    ShedMeters meters = new ShedMeters(metrics.registry());
    Shedding shedding = Shedding.of(config.overload(), meters);
    meters.gauge(
        "ferry_api_requests_in_flight",
        "API requests being served now (capped by " + "overload.maxInFlightRequests)",
        shedding.admission(),
        a -> a.requests());
    meters.gauge(
        "ferry_api_request_bytes_in_flight",
        "Declared body bytes of the API requests being served now "
            + "(capped by overload.maxInFlightRequestBytes)",
        shedding.admission(),
        a -> a.bytes());
    if (stores.pendingWrites().isPresent()) {
      meters.gauge(
          "ferry_store_pending_writes",
          "Store writes waiting for the writer thread (API writes are shed "
              + "beyond overload.maxPendingWrites)",
          stores,
          s -> s.pendingWrites().orElse(0));
    }
    return shedding;
  }
}
