package dev.ferry.ingest;

import dev.ferry.model.Message;
import java.util.List;

/**
 * Tells delivery that messages were stored (implemented in the wiring by the delivery plane). The
 * store is the truth, so a lost nudge costs latency only: start-up recovery and the scheduler's
 * horizon scan find everything.
 */
@FunctionalInterface
public interface Nudge {
  void stored(List<Message> messages);
}
