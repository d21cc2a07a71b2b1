package dev.ferry.workflow;

import dev.ferry.delivery.Endings;
import dev.ferry.model.AttemptResult;
import dev.ferry.model.DlqEntry;
import dev.ferry.model.FailureCallbackInfo;
import dev.ferry.model.Message;
import dev.ferry.store.MessageStore;
import dev.ferry.store.WorkflowRunStore;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.function.BiConsumer;

/**
 * How the messages of workflow runs end (delivery's {@link Endings}): a message of a run that fails
 * for good (a step, a call's result, a wait's outcome) fails its run in the same write that moves
 * it to the DLQ, whether or not the run has a failure callback. The run's failure callback is not
 * kept in the DLQ itself: how it ended is recorded in the run, which the failed step's DLQ entry
 * reports as {@code failureCallbackInfo} (docs/compatibility.md, "Workflow DLQ"), and {@code POST
 * /v2/workflows/dlq/callback/{dlqId}} sends it again. Everything else ends as usual. Thread-safe.
 */
public final class RunEndings implements Endings {
  private final MessageStore messages;
  private final WorkflowRunStore runs;
  private final Clock clock;
  private volatile BiConsumer<String, String> runFailed = (tenant, runId) -> {};

  public RunEndings(MessageStore messages, WorkflowRunStore runs, Clock clock) {
    this.messages = messages;
    this.runs = runs;
    this.clock = clock;
  }

  /** Hears of each run that may have failed with its message (bound once, at wiring). */
  public void onRunFailed(BiConsumer<String, String> listener) {
    runFailed = listener;
  }

  @Override
  public Future<Void> delivered(Message m, AttemptResult result) {
    String runId = runId(m);
    if (runId == null || !isFailureCallback(m)) return Future.succeededFuture();
    return runs.setFailureCallback(m.tenant(), runId, null, FailureCallbackInfo.ended(result))
        .mapEmpty();
  }

  @Override
  public Future<Void> failed(Message m, DlqEntry entry) {
    String runId = runId(m);
    if (runId == null) return messages.moveToDlq(m, entry);
    if (isFailureCallback(m)) {
      // recorded in the run first: a crash before the message leaves repeats the attempt, and the
      // record is written again; a run that is gone (expired) keeps it in the DLQ instead
      return runs.setFailureCallback(
              m.tenant(), runId, null, FailureCallbackInfo.ended(entry.last()))
          .compose(
              recorded ->
                  recorded
                      ? messages.markDelivered(m, entry.last())
                      : messages.moveToDlq(m, entry));
    }
    return runs.moveToDlq(runId, m, entry, clock.millis())
        .onSuccess(v -> runFailed.accept(m.tenant(), runId));
  }

  @Override
  public boolean keepsInDlq(Message m) {
    return runId(m) == null || !isFailureCallback(m);
  }

  private static String runId(Message m) {
    return WorkflowHeaders.single(m.headers(), WorkflowHeaders.DELIVERED_RUN_ID);
  }

  /** The SDK forwards {@code Upstash-Workflow-Is-Failure} onto failure callbacks only. */
  static boolean isFailureCallback(Message m) {
    return "true"
        .equalsIgnoreCase(
            WorkflowHeaders.single(m.headers(), WorkflowHeaders.DELIVERED_IS_FAILURE));
  }
}
