package dev.ferry.store.embedded;

import dev.ferry.model.WorkflowRun;
import dev.ferry.model.WorkflowStep;
import dev.ferry.store.WorkflowRunStore;
import dev.ferry.store.codec.WorkflowRunCodec;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/**
 * {@link WorkflowRunStore} on RocksDB ({@link WorkflowRunCodec} describes the keys). Writes are
 * read-modify-writes on the one writer thread, so two appends to a run never take the same position
 * and an append never lands after the run ended; reads run on the reader pool.
 */
final class EmbeddedWorkflowRunStore implements WorkflowRunStore {
  private final EmbeddedDb db;
  private final RocksWriter writer;
  private final RocksReaders readers;

  EmbeddedWorkflowRunStore(EmbeddedDb db, RocksWriter writer, RocksReaders readers) {
    this.db = db;
    this.writer = writer;
    this.readers = readers;
  }

  @Override
  public Future<Boolean> create(WorkflowRun run, WorkflowStep first) {
    byte[] key = WorkflowRunCodec.runKey(run.tenant(), run.runId());
    byte[] step = WorkflowRunCodec.encode(first);
    byte[] record = WorkflowRunCodec.encode(run.withStepAdded());
    return writer.write(
        batch -> {
          if (batch.exists(db.workflowRuns(), key)) return false;
          batch.put(db.workflowRuns(), key, record);
          batch.put(
              db.workflowRuns(), WorkflowRunCodec.stepKey(run.tenant(), run.runId(), 0), step);
          return true;
        });
  }

  @Override
  public Future<Optional<WorkflowRun>> find(String tenant, String runId) {
    byte[] key = WorkflowRunCodec.runKey(tenant, runId);
    return readers.read(
        () -> {
          byte[] value = db.db().get(db.workflowRuns(), key);
          return Optional.ofNullable(value).map(WorkflowRunCodec::decodeRun);
        });
  }

  @Override
  public Future<Boolean> append(String tenant, String runId, WorkflowStep step) {
    byte[] key = WorkflowRunCodec.runKey(tenant, runId);
    byte[] encoded = WorkflowRunCodec.encode(step);
    return writer.write(
        batch -> {
          byte[] value = batch.get(db.workflowRuns(), key);
          if (value == null) return false;
          WorkflowRun run = WorkflowRunCodec.decodeRun(value);
          if (!run.active()) return false;
          batch.put(
              db.workflowRuns(), WorkflowRunCodec.stepKey(tenant, runId, run.stepCount()), encoded);
          batch.put(db.workflowRuns(), key, WorkflowRunCodec.encode(run.withStepAdded()));
          return true;
        });
  }

  @Override
  public Future<List<WorkflowStep>> steps(String tenant, String runId) {
    byte[] prefix = WorkflowRunCodec.stepPrefix(tenant, runId);
    return readers.read(
        () -> {
          List<WorkflowStep> steps = new ArrayList<>();
          try (Slice upper = new Slice(upperBound(prefix));
              ReadOptions bounded = new ReadOptions().setIterateUpperBound(upper);
              RocksIterator it = db.db().newIterator(db.workflowRuns(), bounded)) {
            for (it.seek(prefix); it.isValid(); it.next()) {
              steps.add(WorkflowRunCodec.decodeStep(it.value()));
            }
          }
          return steps;
        });
  }

  @Override
  public Future<Optional<WorkflowRun>> end(
      String tenant, String runId, WorkflowRun.State state, byte[] response, long endedAt) {
    if (state == WorkflowRun.State.RUN_STARTED)
      throw new IllegalArgumentException("a run cannot end in RUN_STARTED");
    byte[] key = WorkflowRunCodec.runKey(tenant, runId);
    return writer.write(
        batch -> {
          byte[] value = batch.get(db.workflowRuns(), key);
          if (value == null) return Optional.empty();
          WorkflowRun run = WorkflowRunCodec.decodeRun(value);
          if (!run.active()) return Optional.empty();
          batch.put(
              db.workflowRuns(), key, WorkflowRunCodec.encode(run.ended(state, response, endedAt)));
          return Optional.of(run);
        });
  }

  /** The smallest key above every key starting with {@code prefix} (it ends in a 0 byte). */
  private static byte[] upperBound(byte[] prefix) {
    byte[] upper = prefix.clone();
    upper[upper.length - 1] = 1;
    return upper;
  }
}
