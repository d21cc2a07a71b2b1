package dev.ferry.workflow;

import dev.ferry.model.Message;
import dev.ferry.model.WorkflowRun;
import dev.ferry.model.WorkflowStep;
import dev.ferry.store.WorkflowRunStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Completes the failure callback of a workflow step before it is stored (the run fails when its
 * step moves to the DLQ, see {@link RunEndings}). The failure function reads {@code sourceBody} as
 * the run's initial payload (the failed message's own body is a step, which would make {@code
 * context.requestPayload} wrong), and {@code workflowRunId}/{@code workflowCreatedAt} for its
 * context. Called by delivery for the messages it produces; thread-safe.
 */
public final class WorkflowFailures {
  private final WorkflowRunStore runs;

  public WorkflowFailures(WorkflowRunStore runs) {
    this.runs = runs;
  }

  /** The produced messages, workflow failure callbacks completed; the others as they are. */
  public Future<List<Message>> complete(List<Message> produced) {
    List<Future<Message>> done = new ArrayList<>(produced.size());
    for (Message m : produced)
      done.add(isFailureCallback(m) ? complete(m) : Future.succeededFuture(m));
    return Future.all(done).map(v -> done.stream().map(Future::result).toList());
  }

  private static boolean isFailureCallback(Message m) {
    return WorkflowHeaders.single(m.headers(), WorkflowHeaders.DELIVERED_RUN_ID) != null
        && RunEndings.isFailureCallback(m);
  }

  private Future<Message> complete(Message m) {
    String runId = WorkflowHeaders.single(m.headers(), WorkflowHeaders.DELIVERED_RUN_ID);
    Future<List<WorkflowStep>> steps = runs.steps(m.tenant(), runId);
    Future<Optional<WorkflowRun>> run = runs.find(m.tenant(), runId);
    return Future.all(steps, run)
        .map(
            v -> {
              if (run.result().isEmpty() || steps.result().isEmpty()) return m;
              JsonObject body = Buffer.buffer(m.body()).toJsonObject();
              body.put(
                  "sourceBody", Base64.getEncoder().encodeToString(steps.result().get(0).body()));
              body.put("workflowRunId", runId);
              body.put("workflowCreatedAt", run.result().get().createdAt());
              return m.withHeadersAndBody(m.headers(), body.toBuffer().getBytes());
            });
  }
}
