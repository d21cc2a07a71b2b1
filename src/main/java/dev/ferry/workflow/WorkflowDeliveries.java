package dev.ferry.workflow;

import dev.ferry.delivery.AttemptShaper;
import dev.ferry.model.Message;
import dev.ferry.model.WorkflowRun;
import dev.ferry.model.WorkflowStep;
import dev.ferry.store.WorkflowRunStore;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the body of a workflow step's delivery from the run store: the run's steps from the first
 * up to and including the delivered one, in the order Ferry accepted them. Not "all steps so far":
 * the SDK runs the branch of a parallel group whose plan step is last in the list it gets. A step
 * of a run that has ended is delivered with an empty body, which makes the endpoint fetch the list,
 * get a 404 and answer "workflow-already-ended". Every other message (callbacks, third-party calls,
 * ordinary messages) is sent as stored. Runs on the delivery event loop.
 */
public final class WorkflowDeliveries implements AttemptShaper {
  private static final List<String> JSON = List.of("application/json");

  private final WorkflowRunStore runs;

  public WorkflowDeliveries(WorkflowRunStore runs) {
    this.runs = runs;
  }

  @Override
  public Future<Message> shape(Message stored) {
    String runId = WorkflowHeaders.single(stored.headers(), WorkflowHeaders.DELIVERED_RUN_ID);
    if (runId == null) return Future.succeededFuture(stored);
    Future<Optional<WorkflowRun>> run = runs.find(stored.tenant(), runId);
    Future<List<WorkflowStep>> steps = runs.steps(stored.tenant(), runId);
    return Future.all(run, steps)
        .map(
            v -> {
              int at = StepList.indexOf(steps.result(), stored.id());
              if (at < 0 || !steps.result().get(at).isStep()) return stored;
              boolean running = run.result().map(WorkflowRun::active).orElse(false);
              byte[] body = running ? StepList.encode(steps.result(), at).getBytes() : new byte[0];
              Map<String, List<String>> headers = new LinkedHashMap<>(stored.headers());
              headers.put(WorkflowHeaders.CONTENT_TYPE, JSON);
              return stored.withHeadersAndBody(headers, body);
            });
  }
}
