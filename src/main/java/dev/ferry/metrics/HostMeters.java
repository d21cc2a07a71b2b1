package dev.ferry.metrics;

import static dev.ferry.metrics.FerryMetrics.ATTEMPTS;
import static dev.ferry.metrics.FerryMetrics.HOST;
import static dev.ferry.metrics.FerryMetrics.RESULT;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Attempt counters of one destination host, one per result, created on first use. */
final class HostMeters {
  private final MeterRegistry registry;
  private final String host;
  private final Counter[] attempts = new Counter[AttemptMeters.RESULTS.length];

  HostMeters(MeterRegistry registry, String host) {
    this.registry = registry;
    this.host = host;
  }

  Counter attempts(int result) {
    Counter counter = attempts[result];
    if (counter
        == null) { // a race registers the same meter twice: the registry returns the existing one
      counter =
          Counter.builder(ATTEMPTS)
              .description("Delivery attempts by destination host and result")
              .tags(HOST, host, RESULT, AttemptMeters.RESULTS[result])
              .register(registry);
      attempts[result] = counter;
    }
    return counter;
  }
}
