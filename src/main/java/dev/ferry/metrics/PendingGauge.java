package dev.ferry.metrics;

import dev.ferry.store.MessageStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * A tenant's pending messages ({@code ferry_messages_pending}), read on scrape from the count the
 * store keeps in its own writes ({@link MessageStore#pendingCount}): exact on the embedded store,
 * which answers at once; on Redis a scrape shows what the previous one read, so it never waits.
 */
final class PendingGauge {
  static final String NAME = "ferry.messages.pending";

  private final Supplier<MessageStore> messages;
  private final String tenant;
  private volatile long last;

  private PendingGauge(Supplier<MessageStore> messages, String tenant) {
    this.messages = messages;
    this.tenant = tenant;
  }

  static void register(MeterRegistry registry, Supplier<MessageStore> messages, String tenant) {
    PendingGauge gauge = new PendingGauge(messages, tenant);
    Gauge.builder(NAME, gauge, PendingGauge::read)
        .description("Messages stored and not yet delivered, failed or cancelled (all replicas)")
        .tag(FerryMetrics.TENANT, tenant)
        .strongReference(true)
        .register(registry);
  }

  private double read() {
    MessageStore store = messages.get();
    if (store == null) return last;
    Future<Long> count = store.pendingCount(tenant);
    if (count.isComplete()) {
      if (count.succeeded()) last = count.result();
    } else {
      count.onSuccess(n -> last = n);
    }
    return last;
  }
}
