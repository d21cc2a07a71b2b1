package dev.ferry.workflow;

import dev.ferry.error.ApiException;
import dev.ferry.ingest.Ingest;
import dev.ferry.ingest.PublishCommand;
import dev.ferry.ingest.Published;
import dev.ferry.model.Message;
import dev.ferry.model.WorkflowRun;
import dev.ferry.model.WorkflowStep;
import dev.ferry.store.WorkflowRunStore;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The way workflow messages enter the store: a trigger creates its run, a step joins its run, and
 * both are recorded in the run before the message is stored, so a delivery always finds its step in
 * the run's list. Anything else goes through {@link Ingest} unchanged. Thread-safe; called from the
 * API event loops.
 *
 * <p>The run's record and the message are one atomic write of the run store: a trigger answered
 * "deduplicated" always has its message behind it, and a step the run lists always has its message
 * (a crash between two writes could otherwise acknowledge a run that never runs).
 */
public final class WorkflowIngest {
  private final Ingest ingest;
  private final WorkflowRunStore runs;
  private final Clock clock;

  public WorkflowIngest(Ingest ingest, WorkflowRunStore runs, Clock clock) {
    this.ingest = ingest;
    this.runs = runs;
    this.clock = clock;
  }

  /** Publishes one command; {@code tag} is null for an ordinary message. */
  public Future<Published> publish(PublishCommand command, WorkflowTag tag) {
    if (tag == null) return ingest.publish(command);
    if (command.url() == null) {
      return Future.failedFuture(
          ApiException.badRequest(
              "Upstash-Workflow-RunId: a workflow message goes to a URL, not to a URL group"));
    }
    if (!tag.init()) return step(command, tag);
    return tag.invoke() ? invoke(command, tag) : trigger(command, tag, null);
  }

  /**
   * Publishes a batch; {@code tags} is positional (null for ordinary entries). Ordinary entries are
   * stored together as before; each workflow entry on its own. Results are positional.
   */
  public Future<List<Ingest.Outcome>> publishAll(
      List<PublishCommand> commands, List<WorkflowTag> tags) {
    if (tags.stream().allMatch(t -> t == null)) return ingest.publishAll(commands);
    List<PublishCommand> plain = new ArrayList<>();
    for (int i = 0; i < commands.size(); i++) {
      if (tags.get(i) == null) plain.add(commands.get(i));
    }
    Future<List<Ingest.Outcome>> plainDone =
        plain.isEmpty() ? Future.succeededFuture(List.of()) : ingest.publishAll(plain);
    List<Future<Ingest.Outcome>> workflow = new ArrayList<>();
    for (int i = 0; i < commands.size(); i++) {
      if (tags.get(i) == null) continue;
      workflow.add(
          publish(commands.get(i), tags.get(i))
              .transform(
                  ar ->
                      Future.succeededFuture(
                          ar.succeeded()
                              ? new Ingest.Outcome(ar.result(), null)
                              : new Ingest.Outcome(null, ar.cause()))));
    }
    return Future.all(plainDone, Future.join(workflow))
        .map(
            v -> {
              List<Ingest.Outcome> out = new ArrayList<>(commands.size());
              int p = 0;
              int w = 0;
              for (WorkflowTag tag : tags) {
                out.add(tag == null ? plainDone.result().get(p++) : workflow.get(w++).result());
              }
              return out;
            });
  }

  /**
   * A trigger from {@code context.invoke} starts the child with the request's {@code body} as its
   * initial payload and remembers the invoking run, which must be running (the SDK reads a 400 as
   * "the run has ended").
   */
  private Future<Published> invoke(PublishCommand c, WorkflowTag tag) {
    InvokeRequest request;
    try {
      request = InvokeRequest.parse(c.body());
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
    String parent = request.invoker().runId();
    return runs.find(c.tenant(), parent)
        .compose(
            found -> {
              if (found.isEmpty() || !found.get().active()) {
                return Future.failedFuture(
                    inactive(new WorkflowTag(parent, false, WorkflowStep.STEP)));
              }
              return trigger(RunCommands.withBody(c, request.payload()), tag, request);
            });
  }

  private Future<Published> trigger(PublishCommand c, WorkflowTag tag, InvokeRequest invoked) {
    long createdAt = clock.millis();
    WorkflowRun started =
        WorkflowRun.started(c.tenant(), tag.runId(), c.url(), createdAt, RunCommands.settings(c));
    WorkflowRun run = invoked == null ? started : started.invokedBy(invoked.invoker());
    PublishCommand stored = RunCommands.trigger(c, tag.runId(), createdAt);
    return startRun(run, List.of(), stored, WorkflowStep.STEP, c.body())
        .compose(
            id ->
                id.isPresent()
                    ? Future.succeededFuture(published(id.get(), c.url(), false))
                    : firstMessageId(c.tenant(), tag.runId())
                        .map(first -> published(first, c.url(), true)));
  }

  /**
   * Creates {@code run} with the {@code earlier} steps and then the message of {@code stored} as a
   * step of {@code callType} with {@code stepBody}: one atomic write. The message id, or empty
   * (nothing stored) when the tenant already has a run with that id.
   */
  Future<Optional<String>> startRun(
      WorkflowRun run,
      List<WorkflowStep> earlier,
      PublishCommand stored,
      String callType,
      byte[] stepBody) {
    return ingest.publishWith(
        stored,
        produced -> {
          Message m = produced.get(0);
          List<WorkflowStep> steps = new ArrayList<>(earlier);
          steps.add(new WorkflowStep(m.id(), callType, stepBody));
          return runs.create(run, steps, produced)
              .map(created -> created ? Optional.of(m.id()) : Optional.<String>empty());
        });
  }

  private Future<Published> step(PublishCommand given, WorkflowTag tag) {
    PublishCommand c =
        tag.isStep()
            ? RunCommands.withBody(given, WebhookSteps.withFerryEventId(given.body()))
            : given;
    return runs.find(c.tenant(), tag.runId())
        .compose(
            run -> {
              if (run.isEmpty() || !run.get().active()) return Future.failedFuture(inactive(tag));
              PublishCommand stored = RunCommands.step(c, tag, run.get());
              return ingest.publishWith(
                  stored,
                  produced -> {
                    Message m = produced.get(0);
                    WorkflowStep step = new WorkflowStep(m.id(), tag.callType(), c.body());
                    return runs.append(c.tenant(), tag.runId(), step, produced)
                        .compose(
                            appended ->
                                appended
                                    ? Future.succeededFuture(Optional.of(m.id()))
                                    : Future.failedFuture(inactive(tag)));
                  });
            })
        .map(id -> published(id.orElseThrow(), c.url(), false));
  }

  private Future<String> firstMessageId(String tenant, String runId) {
    return runs.steps(tenant, runId).map(steps -> steps.isEmpty() ? "" : steps.get(0).messageId());
  }

  /**
   * The SDK reads a 400 on a step publish as "the run was cancelled or has ended" and stops without
   * retrying; any other refusal would make the endpoint retry the step.
   */
  private static ApiException inactive(WorkflowTag tag) {
    return ApiException.badRequest(
        "workflow run "
            + tag.runId()
            + " is not active (it ended, was cancelled, or never started)");
  }

  private static Published published(String messageId, String url, boolean deduplicated) {
    return new Published(false, List.of(new Published.Item(messageId, url, deduplicated)));
  }
}
