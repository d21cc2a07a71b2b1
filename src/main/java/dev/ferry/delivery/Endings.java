package dev.ferry.delivery;

import dev.ferry.model.AttemptResult;
import dev.ferry.model.DlqEntry;
import dev.ferry.model.Message;
import dev.ferry.store.MessageStore;
import io.vertx.core.Future;

/**
 * How a message that will not be attempted again leaves the store: the one seam where a layer above
 * delivery (workflow runs, see {@code dev.ferry.workflow.RunEndings}) records what the end means to
 * it. {@link Outcomes} calls it after the attempt's callbacks are stored. Thread-safe; called on
 * delivery event loops, so implementations must not block.
 */
public interface Endings {
  /**
   * Runs before a delivered message leaves the store (delivery batches that removal); a failure
   * leaves it pending, to be delivered again.
   */
  Future<Void> delivered(Message m, AttemptResult result);

  /**
   * The message failed for good: it leaves the pending set, kept as DLQ entry {@code entry} or, if
   * {@link #keepsInDlq} says not, recorded elsewhere.
   */
  Future<Void> failed(Message m, DlqEntry entry);

  /** Whether {@link #failed} keeps {@code m} in the DLQ (for the DLQ's size). Pure. */
  boolean keepsInDlq(Message m);

  /** Nothing before a delivery; a failure moves the message to the DLQ. */
  static Endings plain(MessageStore messages) {
    return new Endings() {
      @Override
      public Future<Void> delivered(Message m, AttemptResult result) {
        return Future.succeededFuture();
      }

      @Override
      public Future<Void> failed(Message m, DlqEntry entry) {
        return messages.moveToDlq(m, entry);
      }

      @Override
      public boolean keepsInDlq(Message m) {
        return true;
      }
    };
  }
}
