package dev.ferry.workflow;

import dev.ferry.ingest.Ingest;
import dev.ferry.lifecycle.Cancellations;
import dev.ferry.store.LogStore;
import dev.ferry.store.Stores;
import io.vertx.ext.web.Router;
import java.time.Clock;

/**
 * The Upstash Workflow support (docs/workflow-protocol.md): how workflow messages enter, the run
 * endpoints, and the failure-callback hook of delivery ({@link WorkflowDeliveries}, delivery's
 * other hook, is built before ingest). Built once in {@code Ferry}.
 *
 * @param ingest the way publish and batch store messages, workflow ones included
 * @param runs the {@code /v2/workflows/runs} endpoints
 * @param failures completes failure callbacks of runs
 */
public record Workflows(
    WorkflowIngest ingest, WorkflowRunsHandler runs, WorkflowFailures failures) {

  public static Workflows create(
      Stores stores, Ingest ingest, LogStore logs, Cancellations cancellations, Clock clock) {
    var store = stores.workflowRuns();
    return new Workflows(
        new WorkflowIngest(ingest, store, clock),
        new WorkflowRunsHandler(
            new WorkflowRuns(store, stores.messages(), logs, cancellations, clock)),
        new WorkflowFailures(store));
  }

  /** Mounts the workflow-only endpoints. */
  public void mount(Router router) {
    runs.mount(router);
  }
}
