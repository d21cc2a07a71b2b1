package dev.ferry.store.embedded;

import dev.ferry.store.embedded.RocksWriter.Step;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One write queued on the {@link RocksWriter} with its caller's reply. */
final class WriteOp<T> {
  final Step<T> step;
  final boolean sync;
  final boolean alone;

  /** An API write, refused when the queue is long or the disk reserve is reached. */
  final boolean sheddable;

  final Reply<T> reply = new Reply<>();
  Object result;

  WriteOp(Step<T> step, boolean sync, boolean alone, boolean sheddable) {
    this.step = step;
    this.sync = sync;
    this.alone = alone;
    this.sheddable = sheddable;
  }

  @SuppressWarnings("unchecked")
  void succeed() {
    reply.succeed((T) result);
  }

  @SuppressWarnings("unchecked")
  void succeedHere() {
    reply.succeedHere((T) result);
  }

  /**
   * Completes every caller of a committed batch with one hop per event loop rather than one per
   * caller: a group commit of single publishes answers dozens of callers on two or three event
   * loops, and each hop is a task queued across threads (often with a wake-up). Each caller still
   * runs on its own context (a request's duplicate).
   */
  static void answer(List<WriteOp<?>> members) {
    Map<ContextInternal, List<WriteOp<?>>> byLoop =
        new LinkedHashMap<>(); // contexts compare by identity
    for (WriteOp<?> op : members) {
      ContextInternal context = (ContextInternal) op.reply.context();
      if (context == null) op.succeed();
      else byLoop.computeIfAbsent(context.unwrap(), c -> new ArrayList<>()).add(op);
    }
    byLoop.forEach(WriteOp::hop); // each loop's callers in commit order
  }

  private static void hop(ContextInternal loop, List<WriteOp<?>> ops) {
    if (ops.size() == 1) {
      ops.get(0).succeed();
      return;
    }
    loop.runOnContext(
        v -> {
          for (WriteOp<?> op : ops)
            ((ContextInternal) op.reply.context()).dispatch(x -> op.succeedHere());
        });
  }
}
