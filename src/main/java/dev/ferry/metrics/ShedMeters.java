package dev.ferry.metrics;

import dev.ferry.overload.ShedCounter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * {@code ferry_requests_shed_total{reason}}: requests answered 503 + {@code Retry-After} instead of
 * being served, plus gauges of what the admission gate holds now. Reasons are a handful of fixed
 * labels, so the series stay few. Thread-safe.
 */
public final class ShedMeters implements ShedCounter {
  static final String SHED = "ferry_requests_shed";

  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Counter> byReason = new ConcurrentHashMap<>();

  public ShedMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void shed(String reason) {
    byReason
        .computeIfAbsent(
            reason,
            r ->
                Counter.builder(SHED)
                    .description(
                        "API requests shed with 503 and Retry-After (overload, full disk, store errors), by reason")
                    .tags(Tags.of("reason", r))
                    .register(registry))
        .increment();
  }

  /** A gauge of some overload state (requests in flight, pending store writes), read on scrape. */
  public <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
    io.micrometer.core.instrument.Gauge.builder(name, source, value)
        .description(description)
        .strongReference(true)
        .register(registry);
  }
}
