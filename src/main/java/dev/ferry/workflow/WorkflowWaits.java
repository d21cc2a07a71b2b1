package dev.ferry.workflow;

import dev.ferry.api.publish.PublishCommands;
import dev.ferry.config.FerryConfig;
import dev.ferry.ingest.Ingest;
import dev.ferry.ingest.PublishCommand;
import dev.ferry.model.Message;
import dev.ferry.model.WorkflowRun;
import dev.ferry.model.WorkflowStep;
import dev.ferry.model.WorkflowWaiter;
import dev.ferry.store.WorkflowRunStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits of workflow runs: registers them, ends them with an event (a notify, a webhook call) or
 * with their timeout. A waiter is durable; its timeout is a timer in memory, set again for every
 * stored waiter at start. Ending a wait is one atomic write (waiter gone, step appended, message
 * stored), so of a notify and a timeout racing, exactly one reaches the run. Thread-safe.
 */
public final class WorkflowWaits {
  private static final Logger LOG = LoggerFactory.getLogger(WorkflowWaits.class);

  private final Vertx vertx;
  private final WorkflowRunStore runs;
  private final Ingest ingest;
  private final FerryConfig.Limits limits;
  private final Clock clock;
  private final Map<String, Long> timers = new ConcurrentHashMap<>();

  public WorkflowWaits(
      Vertx vertx, WorkflowRunStore runs, Ingest ingest, FerryConfig.Limits limits, Clock clock) {
    this.vertx = vertx;
    this.runs = runs;
    this.ingest = ingest;
    this.limits = limits;
    this.clock = clock;
  }

  /** Sets the timeout of every stored waiter. */
  public Future<Void> start() {
    return runs.allWaiters()
        .map(
            all -> {
              all.forEach(this::arm);
              if (!all.isEmpty()) LOG.info("{} workflow waiters resumed", all.size());
              return null;
            });
  }

  /**
   * Registers a waiter; false when its run is not running. A webhook wait whose call came first
   * ends at once with that call.
   */
  Future<Boolean> register(WorkflowWaiter w) {
    return runs.addWaiter(w)
        .map(
            added -> {
              if (added) {
                arm(w);
                if (WebhookSteps.waitsForWebhook(w.step())) takeKeptCall(w);
              }
              return added;
            });
  }

  private void takeKeptCall(WorkflowWaiter w) {
    runs.hookCall(w.tenant(), w.runId(), w.eventId())
        .compose(
            call ->
                call.isEmpty()
                    ? Future.succeededFuture()
                    : end(w, WaitSteps.arrived(w, call.get()), w.url(), w.headers(), true))
        .onFailure(
            e -> LOG.warn("webhook wait {} of run {}: kept call", w.eventId(), w.runId(), e));
  }

  /**
   * A call of webhook {@code eventId} of run {@code runId} (checked to be one of its webhooks):
   * ends the run's webhook waits for it with {@code call}, or keeps it until the run waits. False
   * when no wait took it and one call is already kept for the run's next wait.
   */
  Future<Boolean> hookCalled(String tenant, String runId, String eventId, byte[] call) {
    return webhookWaiters(tenant, runId, eventId)
        .compose(
            waiting -> {
              if (!waiting.isEmpty()) return endAll(waiting, call, false).map(true);
              return runs.keepHookCall(tenant, runId, eventId, call)
                  .compose(
                      kept -> {
                        if (!kept) return Future.succeededFuture(false);
                        // a wait registered between the look and the keep did not see the call
                        return webhookWaiters(tenant, runId, eventId)
                            .compose(now -> endAll(now, call, true))
                            .map(true);
                      });
            });
  }

  private Future<List<WorkflowWaiter>> webhookWaiters(String tenant, String runId, String eventId) {
    return runs.waiters(tenant, eventId)
        .map(
            all ->
                all.stream()
                    .filter(w -> w.runId().equals(runId) && WebhookSteps.waitsForWebhook(w.step()))
                    .toList());
  }

  private Future<Void> endAll(List<WorkflowWaiter> waiting, byte[] call, boolean kept) {
    List<Future<Optional<String>>> each = new ArrayList<>();
    for (WorkflowWaiter w : waiting) {
      each.add(end(w, WaitSteps.arrived(w, call), w.url(), w.headers(), kept));
      if (kept) break; // a kept call is removed by the first wait it ends
    }
    return Future.all(each).mapEmpty();
  }

  /** The event's waiters whose runs are still running. */
  Future<List<WorkflowWaiter>> waiters(String tenant, String eventId) {
    return runs.waiters(tenant, eventId).compose(this::running);
  }

  /**
   * Ends the waits of {@code eventId} (of run {@code runId} only, when given) with {@code data};
   * completes with each waiter reached and the id of the message carrying the event.
   */
  Future<List<Notified>> notify(String tenant, String eventId, String runId, byte[] data) {
    return runs.waiters(tenant, eventId)
        .compose(
            all -> {
              List<Future<Optional<Notified>>> each = new ArrayList<>();
              for (WorkflowWaiter w : all) {
                if (runId != null && !runId.equals(w.runId())) continue;
                each.add(
                    end(w, WaitSteps.arrived(w, data), w.url(), w.headers(), false)
                        .map(id -> id.map(m -> new Notified(w, m))));
              }
              return Future.all(each)
                  .map(v -> each.stream().map(Future::result).flatMap(Optional::stream).toList());
            });
  }

  private void arm(WorkflowWaiter w) {
    long delay = Math.max(1, w.deadline() - clock.millis());
    String key = key(w);
    long timer = vertx.setTimer(delay, id -> timeOut(w, key));
    Long previous = timers.put(key, timer);
    if (previous != null) vertx.cancelTimer(previous);
  }

  private void timeOut(WorkflowWaiter w, String key) {
    timers.remove(key);
    end(w, WaitSteps.timedOut(w), w.timeoutUrl(), w.timeoutHeaders(), false)
        .onFailure(
            e -> {
              LOG.warn("timeout of wait {} of run {} failed, retrying", w.eventId(), w.runId(), e);
              vertx.setTimer(1000, id -> timeOut(w, key));
            });
  }

  /**
   * Ends the wait with {@code body} as its step's body, sent to {@code url} as a publish with
   * {@code headers} would be; the message id, or empty when the wait had already ended. With {@code
   * hookCall}, the run's kept webhook call goes in the same write (and nothing happens when another
   * wait took it).
   */
  private Future<Optional<String>> end(
      WorkflowWaiter w,
      byte[] body,
      String url,
      Map<String, List<String>> headers,
      boolean hookCall) {
    return runs.find(w.tenant(), w.runId())
        .compose(
            run -> {
              if (run.isEmpty() || !run.get().active()) {
                return runs.resolveWaiter(w, new WorkflowStep("", null, null), List.of())
                    .map(Optional.<String>empty());
              }
              PublishCommand command =
                  PublishCommands.of(w.tenant(), url, headers, body, null, limits, clock.millis());
              WorkflowTag tag = new WorkflowTag(w.runId(), false, WorkflowStep.STEP);
              PublishCommand stored = RunCommands.step(command, tag, run.get());
              return ingest.publishWith(
                  stored,
                  produced -> {
                    Message m = produced.get(0);
                    return runs.resolveWaiter(
                            w,
                            new WorkflowStep(m.id(), WorkflowStep.STEP, body),
                            produced,
                            hookCall)
                        .map(ok -> ok ? Optional.of(m.id()) : Optional.<String>empty());
                  });
            })
        .onSuccess(
            id -> {
              if (id.isEmpty() && hookCall) return; // another wait took the call: this one waits on
              Long timer = timers.remove(key(w));
              if (timer != null) vertx.cancelTimer(timer);
            });
  }

  private Future<List<WorkflowWaiter>> running(List<WorkflowWaiter> all) {
    List<Future<Optional<WorkflowRun>>> found = new ArrayList<>();
    for (WorkflowWaiter w : all) found.add(runs.find(w.tenant(), w.runId()));
    return Future.all(found)
        .map(
            v -> {
              List<WorkflowWaiter> out = new ArrayList<>();
              for (int i = 0; i < all.size(); i++) {
                if (found.get(i).result().map(WorkflowRun::active).orElse(false))
                  out.add(all.get(i));
              }
              return out;
            });
  }

  private static String key(WorkflowWaiter w) {
    return w.tenant() + '\0' + w.eventId() + '\0' + w.runId() + '\0' + w.stepId();
  }

  /** A waiter a notify reached, and the message that carries the event to its run. */
  record Notified(WorkflowWaiter waiter, String messageId) {}
}
