package dev.ferry.workflow;

import dev.ferry.config.FerryConfig;
import dev.ferry.delivery.callback.CallbackMessages;
import dev.ferry.ingest.Ingest;
import dev.ferry.lifecycle.Cancellations;
import dev.ferry.store.LogStore;
import dev.ferry.store.Stores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The Upstash Workflow support (docs/workflow-protocol.md): how workflow messages enter, the run
 * endpoints, and the failure-callback hook of delivery ({@link WorkflowDeliveries}, delivery's
 * other hook, is built before ingest). Built once in {@code Ferry}.
 *
 * @param ingest the way publish and batch store messages, workflow ones included
 * @param runs the {@code /v2/workflows/runs} endpoints
 * @param failures completes failure callbacks of runs
 * @param invokes tells invoking runs how the runs they started ended
 * @param waits waits of runs and their timeouts
 * @param waitsHandler the wait, notify and waiters endpoints
 * @param logs the run log endpoint
 * @param hooks the token-less webhook endpoint
 * @param expiry forgets ended runs after the retention
 * @param dlq the workflow DLQ's actions and the runs of DLQ entries
 */
public record Workflows(
    WorkflowIngest ingest,
    WorkflowRunsHandler runs,
    WorkflowFailures failures,
    WorkflowInvokes invokes,
    WorkflowWaits waits,
    WaitsHandler waitsHandler,
    WorkflowLogsHandler logs,
    HooksHandler hooks,
    RunExpiry expiry,
    DlqRuns dlq) {

  public static Workflows create(
      Vertx vertx,
      Stores stores,
      Ingest ingest,
      LogStore logs,
      Cancellations cancellations,
      FerryConfig.Limits limits,
      List<FerryConfig.Tenant> tenants,
      Clock clock) {
    var store = stores.workflowRuns();
    WorkflowWaits waits = new WorkflowWaits(vertx, store, ingest, limits, clock);
    WorkflowInvokes invokes =
        new WorkflowInvokes(vertx, store, stores.dlq(), ingest, limits, clock);
    WorkflowIngest workflowIngest = new WorkflowIngest(ingest, store, clock);
    WorkflowFailures failures = new WorkflowFailures(store);
    return new Workflows(
        workflowIngest,
        new WorkflowRunsHandler(
            new WorkflowRuns(store, stores.messages(), logs, cancellations, invokes, clock)),
        failures,
        invokes,
        waits,
        new WaitsHandler(waits, store, limits, clock),
        new WorkflowLogsHandler(store),
        new HooksHandler(tenants, store, waits),
        new RunExpiry(vertx, store, clock),
        new DlqRuns(
            store,
            workflowIngest,
            ingest,
            failures,
            new CallbackMessages(clock, stores.messageIds()),
            clock));
  }

  /** The path of webhook calls, which carry no token (mounted before token checks). */
  public static final String HOOKS_PATH = "/v2/workflows/hooks/:userId/:runId/:eventId";

  /** Mounts the workflow-only endpoints that take a token. */
  public void mount(Router router) {
    runs.mount(router);
    waitsHandler.mount(router);
    logs.mount(router);
  }

  /**
   * Resumes what runs on timers: the waits' timeouts, and forgetting runs that ended more than
   * {@code retention} ago (zero: never); tells the invokers a crash kept from hearing of their
   * child's end. After the store is open.
   */
  public Future<Void> start(Duration retention) {
    return waits.start().compose(v -> invokes.start()).onSuccess(v -> expiry.start(retention));
  }
}
