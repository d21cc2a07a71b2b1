package dev.ferry.metrics;

import static dev.ferry.metrics.FerryMetrics.ATTEMPT_DURATION;
import static dev.ferry.metrics.FerryMetrics.DELIVERY_LATENCY;
import static dev.ferry.metrics.FerryMetrics.IN_FLIGHT;
import static dev.ferry.metrics.FerryMetrics.RESULT;
import static dev.ferry.metrics.FerryMetrics.seconds;

import dev.ferry.delivery.AttemptFault;
import dev.ferry.egress.DestinationHosts;
import dev.ferry.model.AttemptResult;
import dev.ferry.model.Message;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The meters of delivery attempts: how many are in flight, how long each took by result, how many
 * went to each destination host, and how long a delivered message took from first due. Part of
 * {@link FerryMetrics}; called from every delivery event loop, so everything here is thread-safe
 * and created once, then cached.
 */
final class AttemptMeters {
  static final String OTHER_HOST = "other";

  /**
   * Attempt results: a class of HTTP status, or why no response came (the labels of {@link
   * AttemptFault}).
   */
  static final String[] RESULTS = results();

  private static final Duration[] ATTEMPT_BUCKETS =
      seconds(
          0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900);
  private static final Duration[] LATENCY_BUCKETS =
      seconds(
          0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600,
          86400);

  private final MeterRegistry registry;
  private final int maxDestinationHosts;
  private final Clock clock;
  private final ConcurrentHashMap<String, HostMeters> byHost = new ConcurrentHashMap<>();
  private final Timer[] attemptDuration = new Timer[RESULTS.length];
  private final LongAdder inFlight = new LongAdder();
  private final Timer deliveryLatency;

  AttemptMeters(MeterRegistry registry, int maxDestinationHosts, Clock clock) {
    this.registry = registry;
    this.maxDestinationHosts = maxDestinationHosts;
    this.clock = clock;
    deliveryLatency =
        Timer.builder(DELIVERY_LATENCY)
            .description(
                "Time from when a message was first due to its successful delivery (retries included)")
            .serviceLevelObjectives(LATENCY_BUCKETS)
            .register(registry);
    Gauge.builder(IN_FLIGHT, inFlight, LongAdder::sum)
        .description("Delivery attempts in flight now")
        .strongReference(true)
        .register(registry);
  }

  void started() {
    inFlight.increment();
  }

  /** An attempt of {@code m} ended with {@code result} after {@code attemptNanos}. */
  void ended(Message m, AttemptResult result, long attemptNanos) {
    inFlight.decrement();
    int r = resultIndex(result);
    attemptDuration(r).record(attemptNanos, TimeUnit.NANOSECONDS);
    host(DestinationHosts.of(m.url())).attempts(r).increment();
  }

  /** {@code m} was delivered now: records how long after it was first due. */
  void delivered(Message m) {
    long firstDue = Math.max(m.createdAt(), m.notBefore());
    deliveryLatency.record(Math.max(0, clock.millis() - firstDue), TimeUnit.MILLISECONDS);
  }

  private HostMeters host(String host) {
    HostMeters meters = byHost.get(host);
    if (meters != null) return meters;
    if (byHost.size() >= maxDestinationHosts) {
      return byHost.computeIfAbsent(
          OTHER_HOST, h -> new HostMeters(registry, h)); // may overshoot the cap by one: harmless
    }
    return byHost.computeIfAbsent(host, h -> new HostMeters(registry, h));
  }

  /** Created on first use, so results that never happen add no series. */
  private Timer attemptDuration(int result) {
    Timer timer = attemptDuration[result];
    if (timer
        == null) { // a race registers the same meter twice: the registry returns the existing one
      timer =
          Timer.builder(ATTEMPT_DURATION)
              .description(
                  "Time from starting an attempt to its complete response or error, by result (includes "
                      + "waiting for a pooled connection)")
              .tag(RESULT, RESULTS[result])
              .serviceLevelObjectives(ATTEMPT_BUCKETS)
              .register(registry);
      attemptDuration[result] = timer;
    }
    return timer;
  }

  private static int resultIndex(AttemptResult r) {
    int status = r.status();
    if (status >= 200 && status < 600) return status / 100 - 2;
    return 4
        + AttemptFault.ofError(r.error()).ordinal(); // a status outside 2xx-5xx counts as an error
  }

  private static String[] results() {
    List<String> labels = new ArrayList<>(List.of("2xx", "3xx", "4xx", "5xx"));
    for (AttemptFault f : AttemptFault.values()) labels.add(f.label());
    return labels.toArray(String[]::new);
  }
}
