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

/** The workflow run store of a backend that has none yet: every call fails, naming why. */
final class NoWorkflowRuns implements WorkflowRunStore {
  static final NoWorkflowRuns INSTANCE = new NoWorkflowRuns();

  private NoWorkflowRuns() {}

  private static <T> Future<T> unsupported() {
    return Future.failedFuture(
        new UnsupportedOperationException("this store backend keeps no workflow runs"));
  }

  @Override
  public Future<Boolean> create(WorkflowRun run, List<WorkflowStep> steps, List<Message> messages) {
    return unsupported();
  }

  @Override
  public Future<Boolean> setFailureCallback(
      String tenant, String runId, FailureCallbackInfo.State from, FailureCallbackInfo info) {
    return unsupported();
  }

  @Override
  public Future<Optional<WorkflowRun>> find(String tenant, String runId) {
    return unsupported();
  }

  @Override
  public Future<Boolean> append(
      String tenant, String runId, WorkflowStep step, List<Message> messages) {
    return unsupported();
  }

  @Override
  public Future<List<WorkflowStep>> steps(String tenant, String runId) {
    return unsupported();
  }

  @Override
  public Future<Optional<WorkflowRun>> end(
      String tenant, String runId, WorkflowRun.State state, byte[] response, long endedAt) {
    return unsupported();
  }

  @Override
  public Future<Void> moveToDlq(String runId, Message failed, DlqEntry entry, long failedAt) {
    return unsupported();
  }

  @Override
  public Future<Boolean> addWaiter(WorkflowWaiter waiter) {
    return unsupported();
  }

  @Override
  public Future<List<WorkflowWaiter>> waiters(String tenant, String eventId) {
    return unsupported();
  }

  @Override
  public Future<List<WorkflowWaiter>> allWaiters() {
    return unsupported();
  }

  @Override
  public Future<Boolean> resolveWaiter(
      WorkflowWaiter waiter, WorkflowStep step, List<Message> messages, boolean hookCall) {
    return unsupported();
  }

  @Override
  public Future<List<WorkflowRun>> list(
      String tenant, String afterRunId, int limit, Predicate<WorkflowRun> keep) {
    return unsupported();
  }

  @Override
  public Future<Integer> expire(long endedBefore, int limit) {
    return unsupported();
  }

  @Override
  public Future<List<WorkflowRun>> untoldInvoked() {
    return unsupported();
  }

  @Override
  public Future<Boolean> tellInvoker(WorkflowRun child, WorkflowStep step, List<Message> messages) {
    return unsupported();
  }

  @Override
  public Future<Boolean> keepHookCall(String tenant, String runId, String eventId, byte[] call) {
    return unsupported();
  }

  @Override
  public Future<Optional<byte[]>> hookCall(String tenant, String runId, String eventId) {
    return unsupported();
  }
}
