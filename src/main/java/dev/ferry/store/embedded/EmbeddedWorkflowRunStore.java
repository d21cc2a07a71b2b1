package dev.ferry.store.embedded;

import dev.ferry.model.DlqEntry;
import dev.ferry.model.FailureCallbackInfo;
import dev.ferry.model.Message;
import dev.ferry.model.WorkflowRun;
import dev.ferry.model.WorkflowStep;
import dev.ferry.model.WorkflowWaiter;
import dev.ferry.store.WorkflowRunStore;
import dev.ferry.store.codec.WorkflowRunCodec;
import dev.ferry.store.codec.WorkflowWaiterCodec;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/**
 * {@link WorkflowRunStore} on RocksDB ({@link WorkflowRunCodec} describes the keys). Writes are
 * read-modify-writes on the one writer thread, so two appends to a run never take the same position
 * and an append never lands after the run ended; reads run on the reader pool. A step's messages go
 * into the same write as the step ({@link PreparedAppend}, as a schedule's tick does).
 */
final class EmbeddedWorkflowRunStore implements WorkflowRunStore {
  private final EmbeddedDb db;
  private final RocksWriter writer;
  private final RocksReaders readers;
  private final EmbeddedMessageStore messages;

  EmbeddedWorkflowRunStore(
      EmbeddedDb db, RocksWriter writer, RocksReaders readers, EmbeddedMessageStore messages) {
    this.db = db;
    this.writer = writer;
    this.readers = readers;
    this.messages = messages;
  }

  @Override
  public Future<Boolean> create(WorkflowRun run, List<WorkflowStep> steps, List<Message> produced) {
    byte[] key = WorkflowRunCodec.runKey(run.tenant(), run.runId());
    List<byte[]> encoded = steps.stream().map(WorkflowRunCodec::encode).toList();
    WorkflowRun withSteps = run;
    for (int i = 0; i < steps.size(); i++) withSteps = withSteps.withStepAdded();
    byte[] record = WorkflowRunCodec.encode(withSteps);
    PreparedAppend append = messages.prepare(produced);
    return writer.write(
        batch -> {
          if (batch.exists(db.workflowRuns(), key)) return false;
          batch.put(db.workflowRuns(), key, record);
          for (int i = 0; i < encoded.size(); i++) {
            batch.put(
                db.workflowRuns(),
                WorkflowRunCodec.stepKey(run.tenant(), run.runId(), i),
                encoded.get(i));
          }
          append.writeAll(batch);
          return true;
        });
  }

  @Override
  public Future<Boolean> setFailureCallback(
      String tenant, String runId, FailureCallbackInfo.State from, FailureCallbackInfo info) {
    byte[] key = WorkflowRunCodec.runKey(tenant, runId);
    return writer.write(
        batch -> {
          byte[] value = batch.get(db.workflowRuns(), key);
          if (value == null) return false;
          WorkflowRun run = WorkflowRunCodec.decodeRun(value);
          FailureCallbackInfo now = run.failureCallback();
          if (from != null && (now == null || now.state() != from)) return false;
          batch.put(db.workflowRuns(), key, WorkflowRunCodec.encode(run.withFailureCallback(info)));
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
  public Future<Boolean> append(
      String tenant, String runId, WorkflowStep step, List<Message> produced) {
    byte[] key = WorkflowRunCodec.runKey(tenant, runId);
    byte[] encoded = WorkflowRunCodec.encode(step);
    PreparedAppend append = messages.prepare(produced);
    return writer.write(
        batch -> {
          byte[] value = batch.get(db.workflowRuns(), key);
          if (value == null) return false;
          WorkflowRun run = WorkflowRunCodec.decodeRun(value);
          if (!run.active()) return false;
          batch.put(
              db.workflowRuns(), WorkflowRunCodec.stepKey(tenant, runId, run.stepCount()), encoded);
          batch.put(db.workflowRuns(), key, WorkflowRunCodec.encode(run.withStepAdded()));
          append.writeAll(batch);
          return true;
        });
  }

  @Override
  public Future<List<WorkflowStep>> steps(String tenant, String runId) {
    return scan(WorkflowRunCodec.stepPrefix(tenant, runId), WorkflowRunCodec::decodeStep);
  }

  private <T> Future<List<T>> scan(byte[] prefix, Function<byte[], T> decode) {
    return readers.read(
        () -> {
          List<T> found = new ArrayList<>();
          try (Slice upper = new Slice(upperBound(prefix));
              ReadOptions bounded = new ReadOptions().setIterateUpperBound(upper);
              RocksIterator it = db.db().newIterator(db.workflowRuns(), bounded)) {
            for (it.seek(prefix); it.isValid(); it.next()) {
              T value = decode.apply(it.value());
              if (value != null) found.add(value); // null: left out
            }
          }
          return found;
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
          markUntold(batch, run);
          return Optional.of(run);
        });
  }

  @Override
  public Future<Void> moveToDlq(String runId, Message failed, DlqEntry entry, long failedAt) {
    byte[] key = WorkflowRunCodec.runKey(failed.tenant(), runId);
    EmbeddedMessageStore.PreparedDlqMove move = messages.prepareDlqMove(failed, entry);
    return writer.writeOutcome(
        batch -> {
          if (!move.write(batch)) return null;
          byte[] value = batch.get(db.workflowRuns(), key);
          if (value == null) return null;
          WorkflowRun run = WorkflowRunCodec.decodeRun(value);
          if (run.active()) {
            batch.put(
                db.workflowRuns(),
                key,
                WorkflowRunCodec.encode(run.failed(entry.dlqId(), failedAt)));
            markUntold(batch, run);
          }
          return null;
        });
  }

  /** An invoked run ended: its invoker is to be told, even after a crash. */
  private void markUntold(Batch batch, WorkflowRun run) throws org.rocksdb.RocksDBException {
    if (run.invoker() == null) return;
    batch.put(
        db.workflowRuns(), WorkflowRunCodec.untoldKey(run.tenant(), run.runId()), new byte[0]);
  }

  @Override
  public Future<List<WorkflowRun>> untoldInvoked() {
    return readers.read(
        () -> {
          List<WorkflowRun> found = new ArrayList<>();
          byte[] prefix = WorkflowRunCodec.ALL_UNTOLD;
          try (Slice upper = new Slice(upperBound(prefix));
              ReadOptions bounded = new ReadOptions().setIterateUpperBound(upper);
              RocksIterator it = db.db().newIterator(db.workflowRuns(), bounded)) {
            for (it.seek(prefix); it.isValid(); it.next()) {
              String[] id = WorkflowRunCodec.untold(it.key());
              byte[] run = db.db().get(db.workflowRuns(), WorkflowRunCodec.runKey(id[0], id[1]));
              if (run != null) found.add(WorkflowRunCodec.decodeRun(run));
            }
          }
          return found;
        });
  }

  @Override
  public Future<Boolean> tellInvoker(WorkflowRun child, WorkflowStep step, List<Message> produced) {
    byte[] untold = WorkflowRunCodec.untoldKey(child.tenant(), child.runId());
    String parentId = child.invoker().runId();
    byte[] parentKey = WorkflowRunCodec.runKey(child.tenant(), parentId);
    byte[] encoded = step == null ? null : WorkflowRunCodec.encode(step);
    PreparedAppend append = messages.prepare(produced);
    return writer.write(
        batch -> {
          if (!batch.exists(db.workflowRuns(), untold)) return false;
          batch.delete(db.workflowRuns(), untold);
          byte[] value = batch.get(db.workflowRuns(), parentKey);
          if (value == null || encoded == null) return false;
          WorkflowRun parent = WorkflowRunCodec.decodeRun(value);
          if (!parent.active()) return false;
          batch.put(
              db.workflowRuns(),
              WorkflowRunCodec.stepKey(child.tenant(), parentId, parent.stepCount()),
              encoded);
          batch.put(db.workflowRuns(), parentKey, WorkflowRunCodec.encode(parent.withStepAdded()));
          append.writeAll(batch);
          return true;
        });
  }

  @Override
  public Future<Boolean> addWaiter(WorkflowWaiter waiter) {
    byte[] runKey = WorkflowRunCodec.runKey(waiter.tenant(), waiter.runId());
    byte[] key = WorkflowWaiterCodec.key(waiter);
    byte[] value = WorkflowWaiterCodec.encode(waiter);
    return writer.write(
        batch -> {
          byte[] run = batch.get(db.workflowRuns(), runKey);
          if (run == null || !WorkflowRunCodec.decodeRun(run).active()) return false;
          batch.put(db.workflowRuns(), key, value);
          return true;
        });
  }

  @Override
  public Future<List<WorkflowWaiter>> waiters(String tenant, String eventId) {
    return scan(WorkflowWaiterCodec.eventPrefix(tenant, eventId), WorkflowWaiterCodec::decode);
  }

  @Override
  public Future<List<WorkflowWaiter>> allWaiters() {
    return scan(WorkflowWaiterCodec.ALL, WorkflowWaiterCodec::decode);
  }

  @Override
  public Future<Boolean> resolveWaiter(
      WorkflowWaiter waiter, WorkflowStep step, List<Message> produced, boolean hookCall) {
    byte[] call =
        hookCall
            ? WorkflowRunCodec.hookCallKey(waiter.tenant(), waiter.runId(), waiter.eventId())
            : null;
    byte[] key = WorkflowWaiterCodec.key(waiter);
    byte[] runKey = WorkflowRunCodec.runKey(waiter.tenant(), waiter.runId());
    byte[] encoded = WorkflowRunCodec.encode(step);
    PreparedAppend append = messages.prepare(produced);
    return writer.write(
        batch -> {
          if (!batch.exists(db.workflowRuns(), key)) return false;
          if (call != null) {
            if (!batch.exists(db.workflowRuns(), call)) return false;
            batch.delete(db.workflowRuns(), call);
          }
          batch.delete(db.workflowRuns(), key);
          byte[] value = batch.get(db.workflowRuns(), runKey);
          if (value == null) return false;
          WorkflowRun run = WorkflowRunCodec.decodeRun(value);
          if (!run.active()) return false;
          batch.put(
              db.workflowRuns(),
              WorkflowRunCodec.stepKey(waiter.tenant(), waiter.runId(), run.stepCount()),
              encoded);
          batch.put(db.workflowRuns(), runKey, WorkflowRunCodec.encode(run.withStepAdded()));
          append.writeAll(batch);
          return true;
        });
  }

  @Override
  public Future<Boolean> keepHookCall(String tenant, String runId, String eventId, byte[] call) {
    byte[] runKey = WorkflowRunCodec.runKey(tenant, runId);
    byte[] key = WorkflowRunCodec.hookCallKey(tenant, runId, eventId);
    return writer.write(
        batch -> {
          byte[] run = batch.get(db.workflowRuns(), runKey);
          if (run == null || !WorkflowRunCodec.decodeRun(run).active()) return false;
          if (batch.exists(db.workflowRuns(), key)) return false;
          batch.put(db.workflowRuns(), key, call);
          return true;
        });
  }

  @Override
  public Future<Optional<byte[]>> hookCall(String tenant, String runId, String eventId) {
    byte[] key = WorkflowRunCodec.hookCallKey(tenant, runId, eventId);
    return readers.read(() -> Optional.ofNullable(db.db().get(db.workflowRuns(), key)));
  }

  @Override
  public Future<List<WorkflowRun>> list(
      String tenant, String afterRunId, int limit, Predicate<WorkflowRun> keep) {
    byte[] prefix = WorkflowRunCodec.runKey(tenant, "");
    byte[] after = afterRunId == null ? null : WorkflowRunCodec.runKey(tenant, afterRunId);
    return runs(prefix, after, limit, keep);
  }

  /** Runs under {@code prefix} after key {@code after} (null = all) that {@code keep} takes. */
  private Future<List<WorkflowRun>> runs(
      byte[] prefix, byte[] after, int limit, Predicate<WorkflowRun> keep) {
    return readers.read(
        () -> {
          List<WorkflowRun> found = new ArrayList<>();
          try (Slice upper = new Slice(upperBound(prefix));
              ReadOptions bounded = new ReadOptions().setIterateUpperBound(upper);
              RocksIterator it = db.db().newIterator(db.workflowRuns(), bounded)) {
            for (it.seek(after == null ? prefix : after);
                it.isValid() && found.size() < limit;
                it.next()) {
              if (after != null && java.util.Arrays.equals(it.key(), after)) continue;
              WorkflowRun run = WorkflowRunCodec.decodeRun(it.value());
              if (keep.test(run)) found.add(run);
            }
          }
          return found;
        });
  }

  @Override
  public Future<Integer> expire(long endedBefore, int limit) {
    Predicate<WorkflowRun> expired = r -> !r.active() && r.endedAt() < endedBefore;
    return runs(WorkflowRunCodec.ALL_RUNS, null, limit, expired)
        .compose(candidates -> waitersOf(candidates).map(w -> Map.entry(candidates, w)))
        .compose(
            found ->
                writer.write(
                    batch -> {
                      int n = 0;
                      for (WorkflowRun r : found.getKey()) {
                        byte[] key = WorkflowRunCodec.runKey(r.tenant(), r.runId());
                        byte[] value = batch.get(db.workflowRuns(), key);
                        if (value == null || !expired.test(WorkflowRunCodec.decodeRun(value)))
                          continue;
                        batch.delete(db.workflowRuns(), key);
                        batch.delete(
                            db.workflowRuns(), WorkflowRunCodec.untoldKey(r.tenant(), r.runId()));
                        byte[] calls = WorkflowRunCodec.hookCallPrefix(r.tenant(), r.runId());
                        batch.writes().deleteRange(db.workflowRuns(), calls, upperBound(calls));
                        byte[] steps = WorkflowRunCodec.stepPrefix(r.tenant(), r.runId());
                        batch.writes().deleteRange(db.workflowRuns(), steps, upperBound(steps));
                        for (WorkflowWaiter w : found.getValue()) {
                          if (w.tenant().equals(r.tenant()) && w.runId().equals(r.runId()))
                            batch.delete(db.workflowRuns(), WorkflowWaiterCodec.key(w));
                        }
                        n++;
                      }
                      return n;
                    }));
  }

  /**
   * The waiters of {@code runs}: one scan of each of their tenants' waiters (keyed by event, not
   * run).
   */
  private Future<List<WorkflowWaiter>> waitersOf(List<WorkflowRun> runs) {
    Set<String> named = new HashSet<>();
    runs.forEach(r -> named.add(r.tenant() + '\0' + r.runId()));
    List<Future<List<WorkflowWaiter>>> scans = new ArrayList<>();
    for (String tenant : runs.stream().map(WorkflowRun::tenant).distinct().toList()) {
      scans.add(
          scan(
              WorkflowWaiterCodec.tenantPrefix(tenant),
              bytes -> {
                WorkflowWaiter w = WorkflowWaiterCodec.decode(bytes);
                return named.contains(w.tenant() + '\0' + w.runId()) ? w : null;
              }));
    }
    return Future.all(scans).map(v -> scans.stream().flatMap(f -> f.result().stream()).toList());
  }

  /** The smallest key above every key starting with {@code prefix}. */
  private static byte[] upperBound(byte[] prefix) {
    byte[] upper = prefix.clone();
    for (int i = upper.length - 1; i >= 0; i--) {
      if (upper[i] != (byte) 0xff) {
        upper[i]++;
        return java.util.Arrays.copyOf(upper, i + 1);
      }
    }
    throw new IllegalArgumentException("no key is above a prefix of 0xff bytes");
  }
}
