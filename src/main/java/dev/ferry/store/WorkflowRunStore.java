package dev.ferry.store;

import dev.ferry.model.DlqEntry;
import dev.ferry.model.FailureCallbackInfo;
import dev.ferry.model.Message;
import dev.ferry.model.WorkflowRun;
import dev.ferry.model.WorkflowStep;
import dev.ferry.model.WorkflowWaiter;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Durable home of workflow runs and their steps, per tenant. Every write is synced before its
 * future completes; a run's steps keep the order their appends completed in. A write that records a
 * step also stores the step's messages in the same atomic write, so a step the run lists always has
 * its message, and a message of a run is never stored without its step. Non-blocking. Pinned by
 * {@code WorkflowRunStoreContract}.
 */
public interface WorkflowRunStore {
  /**
   * Creates {@code run} (started, no steps) with {@code first} as its first step and stores {@code
   * messages} (the trigger's message), atomically; false, storing nothing, when the tenant already
   * has a run with that id, in any state.
   */
  default Future<Boolean> create(WorkflowRun run, WorkflowStep first, List<Message> messages) {
    return create(run, List.of(first), messages);
  }

  /**
   * {@link #create(WorkflowRun, WorkflowStep, List)} with several steps, in order (a run resumed
   * from the DLQ starts with the steps its failed run had); {@code steps} is not empty.
   */
  Future<Boolean> create(WorkflowRun run, List<WorkflowStep> steps, List<Message> messages);

  Future<Optional<WorkflowRun>> find(String tenant, String runId);

  /**
   * Appends {@code step} to a started run and stores {@code messages}, atomically; false, storing
   * nothing, when the run is unknown or has ended.
   */
  Future<Boolean> append(String tenant, String runId, WorkflowStep step, List<Message> messages);

  /** The run's steps in the order they were appended; empty for an unknown run. */
  Future<List<WorkflowStep>> steps(String tenant, String runId);

  /**
   * Ends a started run in {@code state} (not {@code RUN_STARTED}) with {@code response}: the run as
   * it was before, or empty (nothing changed) when it is unknown or had already ended. A run with
   * an invoker is, in the same write, listed by {@link #untoldInvoked} until {@link #tellInvoker}.
   */
  Future<Optional<WorkflowRun>> end(
      String tenant, String runId, WorkflowRun.State state, byte[] response, long endedAt);

  /**
   * {@link MessageStore#moveToDlq} for a message of run {@code runId} that failed for good, and the
   * run, if still started, ends in {@code RUN_FAILED} with the DLQ id: one atomic write, so a run
   * whose step is in the DLQ is never left looking alive. An invoked run is then listed by {@link
   * #untoldInvoked}, as {@link #end} does.
   */
  Future<Void> moveToDlq(String runId, Message failed, DlqEntry entry, long failedAt);

  /**
   * Records how the failure callback of run {@code runId} went: sets {@code info} when the run
   * exists and its record is in state {@code from} ({@code null}: in any state, none included).
   * True when set.
   */
  Future<Boolean> setFailureCallback(
      String tenant, String runId, FailureCallbackInfo.State from, FailureCallbackInfo info);

  /** Every ended run (of any tenant) whose invoker has not yet been told of its end. */
  Future<List<WorkflowRun>> untoldInvoked();

  /**
   * Tells the invoker of the ended run {@code child}: stops listing it in {@link #untoldInvoked}
   * and, when the invoking run is still started, appends {@code step} to it and stores {@code
   * messages}, atomically. True when the step was appended; false, storing nothing else, when the
   * invoker was already told or its run has ended. A null {@code step} only stops the listing.
   */
  Future<Boolean> tellInvoker(WorkflowRun child, WorkflowStep step, List<Message> messages);

  /** Registers a waiter of a started run; false, storing nothing, when the run is not started. */
  Future<Boolean> addWaiter(WorkflowWaiter waiter);

  /** The tenant's waiters of {@code eventId}, of started and ended runs alike. */
  Future<List<WorkflowWaiter>> waiters(String tenant, String eventId);

  /** Every waiter of every tenant (to set their timeouts at start). */
  Future<List<WorkflowWaiter>> allWaiters();

  /**
   * Ends a wait: removes the waiter and, when its run is still started, appends {@code step} to the
   * run and stores {@code messages}, atomically. True when the step was appended; false, storing
   * nothing else, when the waiter was already gone (a notify and a timeout race: one wins) or its
   * run has ended.
   */
  default Future<Boolean> resolveWaiter(
      WorkflowWaiter waiter, WorkflowStep step, List<Message> messages) {
    return resolveWaiter(waiter, step, messages, false);
  }

  /**
   * {@link #resolveWaiter(WorkflowWaiter, WorkflowStep, List)}; with {@code hookCall}, only when
   * the run has a kept call of the waiter's event ({@link #keepHookCall}), which the same write
   * removes.
   */
  Future<Boolean> resolveWaiter(
      WorkflowWaiter waiter, WorkflowStep step, List<Message> messages, boolean hookCall);

  /**
   * Keeps a webhook call of event {@code eventId} that came before run {@code runId} waited for it;
   * false, keeping nothing, when the run is not started or already has one kept for that event.
   */
  Future<Boolean> keepHookCall(String tenant, String runId, String eventId, byte[] call);

  /** The kept call of the run's event, if any. */
  Future<Optional<byte[]>> hookCall(String tenant, String runId, String eventId);

  /**
   * The tenant's runs that {@code keep} accepts, in run-id order after {@code afterRunId} (null =
   * from the first), at most {@code limit}. {@code keep} runs on a store thread.
   */
  Future<List<WorkflowRun>> list(
      String tenant, String afterRunId, int limit, Predicate<WorkflowRun> keep);

  /**
   * Forgets at most {@code limit} runs of any tenant that ended before {@code endedBefore}, with
   * their steps and waiters; how many. A caller repeats while it gets {@code limit}.
   */
  Future<Integer> expire(long endedBefore, int limit);
}
