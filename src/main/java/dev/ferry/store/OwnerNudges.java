package dev.ferry.store;

import dev.ferry.model.DueEntry;
import dev.ferry.model.Message;
import java.util.List;

/**
 * Tells the process that owns a piece of work (see {@link PartitionOwnership}) about a change made
 * by another process, so that it acts at once: messages stored, a message cancelled, a queue or a
 * schedule changed. The store is the truth and a nudge carries nothing it lacks: a lost nudge costs
 * only latency, since owners also find the work in the store. A backend that one process has to
 * itself has nobody to tell ({@link #NONE}). Thread-safe; senders never wait.
 */
public interface OwnerNudges {
  /** Nobody else owns anything. */
  OwnerNudges NONE =
      new OwnerNudges() {
        @Override
        public void stored(List<Message> messages) {}

        @Override
        public void cancelled(String messageId) {}

        @Override
        public void queueChanged(String tenant, String queue) {}

        @Override
        public void scheduleChanged(String tenant, String scheduleId) {}

        @Override
        public void listen(Receiver receiver) {}
      };

  /** These messages were stored here: tells the owners of those this process does not own. */
  void stored(List<Message> messages);

  /** The message was cancelled here: its owner must not start another attempt of its copy. */
  void cancelled(String messageId);

  /** The queue was created, changed, paused, resumed or deleted here. */
  void queueChanged(String tenant, String queue);

  /** The schedule was created, replaced, paused, resumed or deleted here. */
  void scheduleChanged(String tenant, String scheduleId);

  /** Where the nudges other processes send to this one go; set once, before they can arrive. */
  void listen(Receiver receiver);

  /**
   * What a process does with the nudges sent to it; called on a backend thread, so each must be
   * cheap and hop to its component's context. The receiver checks ownership again: it may have
   * changed on the way.
   */
  interface Receiver {
    /** Unqueued messages stored elsewhere, by due time and id. */
    void due(List<DueEntry> entries);

    /** Messages were stored elsewhere in this queue. */
    void queueNudged(String tenant, String queue);

    void cancelled(String messageId);

    void queueChanged(String tenant, String queue);

    void scheduleChanged(String tenant, String scheduleId);
  }
}
