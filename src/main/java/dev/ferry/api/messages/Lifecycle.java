package dev.ferry.api.messages;

import dev.ferry.lifecycle.Cancellations;
import dev.ferry.store.DisabledLogStore;
import dev.ferry.store.LogStore;
import java.util.function.BiConsumer;

/**
 * What the message, DLQ and logs endpoints need besides the stores every handler gets: the log, the set of
 * cancelled ids that delivery consults, and who to tell when DLQ entries are removed (the DLQ-size gauge). Built in
 * {@code Ferry}.
 */
public record Lifecycle(LogStore logs, Cancellations cancellations, BiConsumer<String, Long> dlqRemoved) {
  /** No log, a private cancellation set: for wirings (tests) that do not care. */
  public static Lifecycle standalone() {
    return new Lifecycle(new DisabledLogStore(), new Cancellations(System::currentTimeMillis, 26L * 3600_000, 1_000_000),
        (tenant, n) -> { });
  }
}
