package dev.ferry.store.redis;

import dev.ferry.model.WorkflowRun;
import io.vertx.core.Future;
import java.util.List;

/**
 * The failure outbox of {@link RedisWorkflowRunStore}: a step of a run that fails for good is moved
 * to the DLQ by one script in the message's partition, which also records {@code tenant 0 runId 0
 * dlqId → failedAt} there; then the run (in its own partition) is ended in {@code RUN_FAILED}, then
 * the record is cleared. A crash between leaves the record, and {@link #recoverAll} (at start-up)
 * fails the run then: a run whose step is in the DLQ is not left looking alive. Non-blocking;
 * thread-safe.
 */
final class RunFailures {
  private final RedisLink link;
  private final RedisKeys keys;
  private final Partitions partitions;

  RunFailures(RedisLink link, RedisKeys keys, Partitions partitions) {
    this.link = link;
    this.keys = keys;
    this.partitions = partitions;
  }

  static String field(String tenant, String runId, String dlqId) {
    return tenant + '\0' + runId + '\0' + dlqId;
  }

  /**
   * Fails the run named by {@code field} (recorded in partition {@code p}) if it is still started,
   * then clears the record.
   */
  Future<Void> fail(int p, String field, String failedAt) {
    String[] parts = field.split("\0", 3);
    if (parts.length != 3) return clear(p, field, failedAt);
    String tenant = parts[0];
    String runId = parts[1];
    int runPartition = partitions.ofWorkflowRun(tenant, runId);
    return link.write(
            RedisScripts.WORKFLOW_END,
            List.of(
                keys.workflowRun(runPartition, tenant, runId),
                keys.workflowSteps(runPartition, tenant, runId),
                keys.workflowUntold(runPartition),
                keys.workflowEnded(runPartition)),
            List.of(
                WorkflowRun.State.RUN_FAILED.name(),
                "",
                failedAt,
                MessageOutbox.field(tenant, runId),
                parts[2]))
        .compose(v -> clear(p, field, failedAt));
  }

  private Future<Void> clear(int p, String field, String failedAt) {
    return link.write(
            RedisScripts.TICK_OUTBOX_CLEAR,
            List.of(keys.workflowFailures(p)),
            List.of(field, failedAt))
        .mapEmpty();
  }

  /** Fails the runs of every record left, partition by partition. */
  Future<Void> recoverAll() {
    return HashSweep.eachEntry(
        link,
        partitions.count(),
        keys::workflowFailures,
        (partition, field, record) -> fail(partition, field, record.toString()));
  }
}
