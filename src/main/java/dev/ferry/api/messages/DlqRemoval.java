package dev.ferry.api.messages;

import dev.ferry.store.DlqStore;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Removes DLQ entries through the API (deleted, retried, resumed, restarted) and tells the DLQ-size
 * gauge how many went.
 */
record DlqRemoval(DlqStore dlq, BiConsumer<String, Long> removed) {
  /** How many of {@code dlqIds} were there and are gone now. */
  Future<Integer> remove(String tenant, List<String> dlqIds) {
    return dlq.deleteAll(tenant, dlqIds)
        .map(
            deleted -> {
              if (!deleted.isEmpty()) removed.accept(tenant, (long) deleted.size());
              return deleted.size();
            });
  }
}
