package dev.ferry.workflow;

import dev.ferry.lifecycle.Cancellations;
import dev.ferry.model.LogRecord;
import dev.ferry.model.Message;
import dev.ferry.model.MessageState;
import dev.ferry.model.WorkflowRun;
import dev.ferry.model.WorkflowStep;
import dev.ferry.store.LogStore;
import dev.ferry.store.MessageStore;
import dev.ferry.store.WorkflowRunStore;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Ends runs: the endpoint's own end ({@code DELETE …?cancel=false} with its return value), and
 * cancels, which also remove the run's pending messages so nothing of it is delivered again.
 * Thread-safe; called from the API event loops.
 */
public final class WorkflowRuns {
  private final WorkflowRunStore runs;
  private final MessageStore messages;
  private final LogStore logs;
  private final Cancellations cancellations;
  private final WorkflowInvokes invokes;
  private final Clock clock;

  public WorkflowRuns(
      WorkflowRunStore runs,
      MessageStore messages,
      LogStore logs,
      Cancellations cancellations,
      WorkflowInvokes invokes,
      Clock clock) {
    this.runs = runs;
    this.messages = messages;
    this.logs = logs;
    this.cancellations = cancellations;
    this.invokes = invokes;
    this.clock = clock;
  }

  WorkflowRunStore store() {
    return runs;
  }

  /** Ends the run successfully with the endpoint's return value; true when it was running. */
  Future<Boolean> finish(String tenant, String runId, byte[] response) {
    return runs.end(tenant, runId, WorkflowRun.State.RUN_SUCCESS, response, clock.millis())
        .map(this::ended);
  }

  /** Cancels the run and removes its pending messages; true when it was running. */
  Future<Boolean> cancel(String tenant, String runId) {
    return runs.end(tenant, runId, WorkflowRun.State.RUN_CANCELED, null, clock.millis())
        .compose(
            was -> {
              if (!ended(was)) return Future.succeededFuture(false);
              return runs.steps(tenant, runId)
                  .compose(steps -> removePending(tenant, steps))
                  .map(true);
            });
  }

  /** Whether the run was running until now; if so, its invoker, if any, is told. */
  private boolean ended(Optional<WorkflowRun> was) {
    was.filter(r -> r.invoker() != null)
        .ifPresent(r -> invokes.mayHaveEnded(r.tenant(), r.runId()));
    return was.isPresent();
  }

  /** Cancels each run; how many were running. */
  Future<Integer> cancelAll(String tenant, List<String> runIds) {
    Future<Integer> total = Future.succeededFuture(0);
    for (String id : runIds) {
      total = total.compose(n -> cancel(tenant, id).map(c -> c ? n + 1 : n));
    }
    return total;
  }

  /** As a message cancel does: out of the store, then delivery drops any copy it holds. */
  private Future<Void> removePending(String tenant, List<WorkflowStep> steps) {
    List<String> ids = steps.stream().map(WorkflowStep::messageId).toList();
    if (ids.isEmpty()) return Future.succeededFuture();
    return messages
        .cancel(tenant, ids)
        .map(
            removed -> {
              List<LogRecord> records = new ArrayList<>(removed.size() * 2);
              for (Message m : removed) {
                cancellations.add(m);
                records.add(LogRecord.of(m, MessageState.CANCEL_REQUESTED));
                records.add(LogRecord.of(m, MessageState.CANCELED));
              }
              logs.recordAll(records);
              return null;
            });
  }
}
