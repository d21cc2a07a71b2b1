package dev.ferry.metrics;

import static dev.ferry.metrics.FerryMetrics.DELIVERED;
import static dev.ferry.metrics.FerryMetrics.FAILED;
import static dev.ferry.metrics.FerryMetrics.NO_QUEUE;
import static dev.ferry.metrics.FerryMetrics.OUTCOMES_DROPPED;
import static dev.ferry.metrics.FerryMetrics.PUBLISHED;
import static dev.ferry.metrics.FerryMetrics.QUEUE;
import static dev.ferry.metrics.FerryMetrics.QUEUE_LAG;
import static dev.ferry.metrics.FerryMetrics.RETRIED;
import static dev.ferry.metrics.FerryMetrics.TENANT;

import dev.ferry.store.MessageStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Counters and lag of one (tenant, queue); the queue is {@link FerryMetrics#NO_QUEUE} for unqueued
 * messages.
 */
final class QueueMeters {
  final String tenant;
  final String queue;
  final Counter published;
  final Counter delivered;
  final Counter retried;
  final Counter failed;
  final Counter dropped;
  final Gauge lag;

  QueueMeters(
      MeterRegistry registry, Supplier<MessageStore> messages, String tenant, String queue) {
    this.tenant = tenant;
    this.queue = queue;
    List<Tag> tags = List.of(Tag.of(TENANT, tenant), Tag.of(QUEUE, queue));
    published =
        Counter.builder(PUBLISHED)
            .description("Messages accepted and durably stored")
            .tags(tags)
            .register(registry);
    delivered =
        Counter.builder(DELIVERED)
            .description("Messages delivered (a 2xx from the destination)")
            .tags(tags)
            .register(registry);
    retried =
        Counter.builder(RETRIED)
            .description("Failed attempts after which a retry was scheduled")
            .tags(tags)
            .register(registry);
    failed =
        Counter.builder(FAILED)
            .description("Messages that failed for good and moved to the DLQ")
            .tags(tags)
            .register(registry);
    dropped =
        Counter.builder(OUTCOMES_DROPPED)
            .description(
                "Attempt outcomes the store refused because another replica took the message's"
                    + " partition over meanwhile (it delivers the message: a duplicate at most)")
            .tags(tags)
            .register(registry);
    lag =
        queue.equals(NO_QUEUE)
            ? null
            : Gauge.builder(
                    QUEUE_LAG,
                    // the embedded store answers at once from its counters
                    new StoreReading(messages, store -> store.queueLength(tenant, queue)),
                    StoreReading::value)
                .description(
                    "Messages pending in the queue (its exact lag, from the store's counters)")
                .tags(tags)
                .strongReference(true)
                .register(registry);
  }

  boolean is(String tenant, String queue) {
    return this.tenant.equals(tenant) && this.queue.equals(queue == null ? NO_QUEUE : queue);
  }

  List<Meter> meters() {
    List<Meter> meters = new ArrayList<>(List.of(published, delivered, retried, failed));
    if (lag != null) meters.add(lag);
    return meters;
  }
}
