package dev.ferry.workflow;

import dev.ferry.api.publish.PublishCommands;
import dev.ferry.config.FerryConfig;
import dev.ferry.ingest.Ingest;
import dev.ferry.ingest.PublishCommand;
import dev.ferry.model.DlqEntry;
import dev.ferry.model.Message;
import dev.ferry.model.WorkflowInvoker;
import dev.ferry.model.WorkflowRun;
import dev.ferry.model.WorkflowStep;
import dev.ferry.store.DlqStore;
import dev.ferry.store.WorkflowRunStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells an invoking run how the run it started with {@code context.invoke} ended: a step appended
 * to the invoker, with {@code out} = {@code {"body": <the child's return value>}} on success,
 * {@code isCanceled: true} on a cancel, and {@code isFailed: true} with the failing step's last
 * answer as {@code body} when the child failed for good (told when the failing step moves to the
 * DLQ, before the child's failure function runs). The store keeps "not told yet" with the child's
 * end, so a crash before the telling is made up for at start. Thread-safe.
 */
public final class WorkflowInvokes {
  private static final Logger LOG = LoggerFactory.getLogger(WorkflowInvokes.class);

  private final Vertx vertx;
  private final WorkflowRunStore runs;
  private final DlqStore dlq;
  private final Ingest ingest;
  private final FerryConfig.Limits limits;
  private final Clock clock;

  public WorkflowInvokes(
      Vertx vertx,
      WorkflowRunStore runs,
      DlqStore dlq,
      Ingest ingest,
      FerryConfig.Limits limits,
      Clock clock) {
    this.vertx = vertx;
    this.runs = runs;
    this.dlq = dlq;
    this.ingest = ingest;
    this.limits = limits;
    this.clock = clock;
  }

  /** Tells the invokers that a crash kept from hearing of their child's end. */
  public Future<Void> start() {
    return runs.untoldInvoked()
        .map(
            all -> {
              all.forEach(this::tellSoon);
              if (!all.isEmpty()) LOG.info("{} invoked workflow runs to report", all.size());
              return null;
            });
  }

  /** Run {@code runId} may have ended: tells its invoker, if it has one. Never fails. */
  public void mayHaveEnded(String tenant, String runId) {
    runs.find(tenant, runId)
        .onSuccess(
            run -> run.filter(r -> r.invoker() != null && !r.active()).ifPresent(this::tellSoon))
        .onFailure(e -> LOG.warn("cannot read run {} to report it to its invoker", runId, e));
  }

  /** Tells the invoker of {@code ended}, retrying while the store fails. */
  void tellSoon(WorkflowRun ended) {
    if (ended.invoker() == null) return;
    tell(ended)
        .onFailure(
            e -> {
              LOG.warn("reporting run {} to its invoker failed, retrying", ended.runId(), e);
              vertx.setTimer(1000, id -> tellSoon(ended));
            });
  }

  private Future<Boolean> tell(WorkflowRun child) {
    WorkflowInvoker invoker = child.invoker();
    return Future.all(out(child), runs.find(child.tenant(), invoker.runId()))
        .compose(
            all -> {
              JsonObject out = all.resultAt(0);
              Optional<WorkflowRun> parent = all.resultAt(1);
              if (parent.isEmpty() || !parent.get().active()) {
                return runs.tellInvoker(child, null, List.of());
              }
              byte[] body =
                  new JsonObject(invoker.step()).put("out", out.encode()).toBuffer().getBytes();
              PublishCommand command =
                  PublishCommands.of(
                      child.tenant(),
                      invoker.url(),
                      invoker.headers(),
                      body,
                      null,
                      limits,
                      clock.millis());
              WorkflowTag tag = new WorkflowTag(invoker.runId(), false, WorkflowStep.STEP);
              return ingest
                  .publishWith(
                      RunCommands.step(command, tag, parent.get()),
                      produced -> {
                        Message m = produced.get(0);
                        return runs.tellInvoker(
                                child, new WorkflowStep(m.id(), WorkflowStep.STEP, body), produced)
                            .map(ok -> ok ? Optional.of(m.id()) : Optional.<String>empty());
                      })
                  .map(Optional::isPresent);
            });
  }

  /** The invoke step's {@code out}, as the SDK's {@code InvokeStepResponse} reads it. */
  private Future<JsonObject> out(WorkflowRun child) {
    return switch (child.state()) {
      case RUN_SUCCESS ->
          Future.succeededFuture(
              new JsonObject().put("body", new String(child.response(), StandardCharsets.UTF_8)));
      case RUN_CANCELED -> Future.succeededFuture(new JsonObject().put("isCanceled", true));
      default ->
          (child.dlqId() == null
                  ? Future.succeededFuture(Optional.<DlqEntry>empty())
                  : dlq.find(child.tenant(), child.dlqId()))
              .map(
                  entry ->
                      new JsonObject()
                          .put(
                              "body",
                              entry
                                  .map(e -> new String(e.last().body(), StandardCharsets.UTF_8))
                                  .orElse(""))
                          .put("isFailed", true));
    };
  }
}
