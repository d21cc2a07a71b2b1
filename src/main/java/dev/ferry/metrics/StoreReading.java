package dev.ferry.metrics;

import dev.ferry.store.MessageStore;
import io.vertx.core.Future;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A gauge's value read from the store on scrape without waiting: an embedded store answers at once
 * from its counters; a slower one (Redis) completes later, and the next scrape shows it. Until the
 * store is bound, or while it fails, the last value read stays.
 */
final class StoreReading {
  private final Supplier<MessageStore> messages;
  private final Function<MessageStore, Future<Long>> read;
  private volatile long last;

  StoreReading(Supplier<MessageStore> messages, Function<MessageStore, Future<Long>> read) {
    this.messages = messages;
    this.read = read;
  }

  double value() {
    MessageStore store = messages.get();
    if (store == null) return last;
    Future<Long> value = read.apply(store);
    if (value.isComplete()) {
      if (value.succeeded()) last = value.result();
    } else {
      value.onSuccess(n -> last = n);
    }
    return last;
  }
}
