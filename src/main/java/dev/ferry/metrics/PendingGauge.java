package dev.ferry.metrics;

import dev.ferry.store.MessageStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * A tenant's pending messages ({@code ferry_messages_pending}), read on scrape from the count the
 * store keeps in its own writes ({@link MessageStore#pendingCount}), without waiting ({@link
 * StoreReading}).
 */
final class PendingGauge {
  static final String NAME = "ferry.messages.pending";

  private PendingGauge() {}

  static void register(MeterRegistry registry, Supplier<MessageStore> messages, String tenant) {
    StoreReading pending = new StoreReading(messages, store -> store.pendingCount(tenant));
    Gauge.builder(NAME, pending, StoreReading::value)
        .description("Messages stored and not yet delivered, failed or cancelled (all replicas)")
        .tag(FerryMetrics.TENANT, tenant)
        .strongReference(true)
        .register(registry);
  }
}
