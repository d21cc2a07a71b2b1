package dev.ferry.delivery.callback;

import dev.ferry.model.Message;
import io.vertx.core.Future;
import java.util.List;

/**
 * How delivery puts messages it produces (callbacks, failure callbacks) into the system: through
 * ingest, like any publish (wired in {@code Ferry}; delivery does not depend on ingest). Completes
 * once they are durably stored.
 */
@FunctionalInterface
public interface Republish {
  Future<Void> publish(List<Message> messages);
}
