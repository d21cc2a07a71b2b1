package dev.ferry.store;

import dev.ferry.model.WorkflowRun;
import dev.ferry.model.WorkflowStep;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * Durable home of workflow runs and their steps, per tenant. Every write is synced before its
 * future completes; a run's steps keep the order their appends completed in. Non-blocking. Pinned
 * by {@code WorkflowRunStoreContract}.
 */
public interface WorkflowRunStore {
  /**
   * Creates {@code run} (started, no steps) with {@code first} as its first step; false, storing
   * nothing, when the tenant already has a run with that id, in any state.
   */
  Future<Boolean> create(WorkflowRun run, WorkflowStep first);

  Future<Optional<WorkflowRun>> find(String tenant, String runId);

  /**
   * Appends {@code step} to a started run; false, storing nothing, when the run is unknown or has
   * ended.
   */
  Future<Boolean> append(String tenant, String runId, WorkflowStep step);

  /** The run's steps in the order they were appended; empty for an unknown run. */
  Future<List<WorkflowStep>> steps(String tenant, String runId);

  /**
   * Ends a started run in {@code state} (not {@code RUN_STARTED}) with {@code response}: the run as
   * it was before, or empty (nothing changed) when it is unknown or had already ended.
   */
  Future<Optional<WorkflowRun>> end(
      String tenant, String runId, WorkflowRun.State state, byte[] response, long endedAt);
}
