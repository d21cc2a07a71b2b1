package dev.ferry.store.redis;

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
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@link WorkflowRunStore} on Redis. A run lives in partition {@code hash(tenant, runId)}: a hash
 * (its record as created, its state fields, marks of its waiters, kept webhook calls and told
 * invoked runs) and a list of its steps, so each call that checks and changes a run is one script
 * there. A step's messages of that partition are stored by the same script; those of other
 * partitions (a queue's, a flow-control key's) go through the run's entry in the partition's
 * workflow outbox ({@link MessageOutbox}), copied before the call completes. A failed step's DLQ
 * move records the run's failure next to the message ({@link RunFailures}). Tenant indexes (run
 * ids, an event's waiters) are written before and cleaned after the records they name. The writes
 * of one run from this process go to Redis one after the other ({@link RunOrder}). Start-up's
 * {@link #untoldInvoked} first finishes the copies and failures a crash left. Non-blocking;
 * thread-safe.
 */
final class RedisWorkflowRunStore implements WorkflowRunStore {
  private final RedisLink link;
  private final RedisKeys keys;
  private final Partitions partitions;
  private final RedisMessageStore messages;
  private final MessageOutbox outbox;
  private final RunFailures failures;
  private final WorkflowRunReads reads;
  private final RunRetention retention;
  private final RunOrder order = new RunOrder();

  RedisWorkflowRunStore(
      RedisLink link, RedisKeys keys, Partitions partitions, RedisMessageStore messages) {
    this.link = link;
    this.keys = keys;
    this.partitions = partitions;
    this.messages = messages;
    this.outbox = new MessageOutbox(link, partitions, messages, keys::workflowOutbox);
    this.failures = new RunFailures(link, keys, partitions);
    this.reads = new WorkflowRunReads(link, keys, partitions);
    this.retention = new RunRetention(link, keys, partitions);
  }

  /** The index row first: a crash before the run is written leaves a row listings skip. */
  @Override
  public Future<Boolean> create(WorkflowRun run, List<WorkflowStep> steps, List<Message> produced) {
    String tenant = run.tenant();
    String runId = run.runId();
    return order.run(
        orderKey(tenant, runId),
        () ->
            link.writeCommand(
                    Request.cmd(Command.ZADD).arg(keys.workflowRunIndex(tenant)).arg(0).arg(runId))
                .compose(
                    v ->
                        step(
                            "create",
                            tenant,
                            runId,
                            steps,
                            WorkflowRunCodec.encode(run),
                            run.invoker() == null ? "0" : "1",
                            produced))
                .map(RedisWorkflowRunStore::recorded));
  }

  @Override
  public Future<Optional<WorkflowRun>> find(String tenant, String runId) {
    return reads.find(tenant, runId);
  }

  @Override
  public Future<Boolean> append(
      String tenant, String runId, WorkflowStep step, List<Message> produced) {
    return order.run(
        orderKey(tenant, runId),
        () ->
            step("append", tenant, runId, List.of(step), "", "", produced)
                .map(RedisWorkflowRunStore::recorded));
  }

  @Override
  public Future<List<WorkflowStep>> steps(String tenant, String runId) {
    return reads.steps(tenant, runId);
  }

  @Override
  public Future<Optional<WorkflowRun>> end(
      String tenant, String runId, WorkflowRun.State state, byte[] response, long endedAt) {
    if (state == WorkflowRun.State.RUN_STARTED)
      throw new IllegalArgumentException("a run cannot end in RUN_STARTED");
    int p = partitions.ofWorkflowRun(tenant, runId);
    return order.run(
        orderKey(tenant, runId),
        () ->
            link.write(
                    RedisScripts.WORKFLOW_END,
                    List.of(
                        keys.workflowRun(p, tenant, runId),
                        keys.workflowSteps(p, tenant, runId),
                        keys.workflowUntold(p),
                        keys.workflowEnded(p)),
                    List.of(
                        state.name(),
                        response == null ? new byte[0] : response,
                        endedAt,
                        MessageOutbox.field(tenant, runId),
                        ""))
                .map(
                    r -> {
                      if (r == null) return Optional.<WorkflowRun>empty();
                      WorkflowRun created = WorkflowRunCodec.decodeRun(r.get(0).toBytes());
                      return Optional.of(
                          new WorkflowRun(
                              created.tenant(),
                              created.runId(),
                              created.url(),
                              created.createdAt(),
                              WorkflowRun.State.RUN_STARTED,
                              created.settings(),
                              r.get(1).toInteger(),
                              null,
                              0,
                              null,
                              created.invoker(),
                              null));
                    }));
  }

  /**
   * The DLQ move and the record that the run is to fail are one script in the message's partition;
   * the run's failure, then the record's clearing follow ({@link RunFailures}).
   */
  @Override
  public Future<Void> moveToDlq(String runId, Message failed, DlqEntry entry, long failedAt) {
    String field = RunFailures.field(failed.tenant(), runId, entry.dlqId());
    String at = String.valueOf(failedAt);
    return order.run(
        orderKey(failed.tenant(), runId),
        () ->
            messages
                .moveToDlq(failed, entry, field, at)
                .compose(
                    moved ->
                        moved
                            ? failures.fail(partitions.ofId(failed.id()), field, at)
                            : Future.<Void>succeededFuture()));
  }

  /** First finishes the outbox copies and run failures a crash left unfinished (start-up). */
  @Override
  public Future<Boolean> setFailureCallback(
      String tenant, String runId, FailureCallbackInfo.State from, FailureCallbackInfo info) {
    int p = partitions.ofWorkflowRun(tenant, runId);
    return order.run(
        orderKey(tenant, runId),
        () ->
            link.write(
                    RedisScripts.WORKFLOW_CALLBACK,
                    List.of(keys.workflowRun(p, tenant, runId)),
                    List.of(
                        from == null ? "" : from.name(),
                        info.state().name(),
                        WorkflowRunCodec.encodeFailureCallback(info).toBuffer().getBytes()))
                .map(r -> r.toLong() == 1));
  }

  @Override
  public Future<List<WorkflowRun>> untoldInvoked() {
    return outbox.copyAll().compose(v -> failures.recoverAll()).compose(v -> reads.untold());
  }

  /**
   * Checks the child is untold, then one script in the invoker's partition sets the invoker's mark
   * for the child (so a crash and retry before the next step never appends twice) and appends the
   * step; then the child leaves the untold set.
   */
  @Override
  public Future<Boolean> tellInvoker(WorkflowRun child, WorkflowStep step, List<Message> produced) {
    String tenant = child.tenant();
    int p = partitions.ofWorkflowRun(tenant, child.runId());
    String member = MessageOutbox.field(tenant, child.runId());
    Request told = Request.cmd(Command.SREM).arg(keys.workflowUntold(p)).arg(member);
    if (step == null) return link.writeCommand(told).map(false);
    String invoker = child.invoker().runId();
    return order.run(
        orderKey(tenant, invoker),
        () ->
            link.send(Request.cmd(Command.SISMEMBER).arg(keys.workflowUntold(p)).arg(member))
                .compose(
                    untold -> {
                      if (untold.toLong() == 0) return Future.succeededFuture(false);
                      return step(
                              "tell",
                              tenant,
                              invoker,
                              step == null ? List.of() : List.of(step),
                              "t:" + child.runId(),
                              "",
                              produced)
                          .compose(reply -> link.writeCommand(told).map(recorded(reply)));
                    }));
  }

  /** The event index row first; dropped again when the run was not started. */
  @Override
  public Future<Boolean> addWaiter(WorkflowWaiter w) {
    int p = partitions.ofWorkflowRun(w.tenant(), w.runId());
    String index = keys.workflowEventIndex(w.tenant(), w.eventId());
    String member = indexMember(w);
    return order.run(
        orderKey(w.tenant(), w.runId()),
        () ->
            link.writeCommand(Request.cmd(Command.SADD).arg(index).arg(member))
                .compose(
                    v ->
                        link.write(
                            RedisScripts.WORKFLOW_ADD_WAITER,
                            List.of(
                                keys.workflowRun(p, w.tenant(), w.runId()),
                                keys.workflowWaiters(p)),
                            List.of(waiterField(w), WorkflowWaiterCodec.encode(w))))
                .compose(
                    added ->
                        added.toLong() == 1
                            ? Future.succeededFuture(true)
                            : link.send(Request.cmd(Command.SREM).arg(index).arg(member))
                                .map(false)));
  }

  @Override
  public Future<List<WorkflowWaiter>> waiters(String tenant, String eventId) {
    return reads.waiters(tenant, eventId);
  }

  @Override
  public Future<List<WorkflowWaiter>> allWaiters() {
    return reads.allWaiters();
  }

  /** The script removes the waiter (exactly once), then its index row goes. */
  @Override
  public Future<Boolean> resolveWaiter(
      WorkflowWaiter w, WorkflowStep step, List<Message> produced, boolean hookCall) {
    Request unindex =
        Request.cmd(Command.SREM)
            .arg(keys.workflowEventIndex(w.tenant(), w.eventId()))
            .arg(indexMember(w));
    return order.run(
        orderKey(w.tenant(), w.runId()),
        () ->
            step(
                    "waiter",
                    w.tenant(),
                    w.runId(),
                    List.of(step),
                    waiterField(w),
                    hookCall ? w.eventId() : "",
                    produced)
                .compose(
                    reply ->
                        reply.get(2).toLong() == 1
                            ? link.send(unindex).map(reply)
                            : Future.succeededFuture(reply))
                .map(RedisWorkflowRunStore::recorded));
  }

  @Override
  public Future<Boolean> keepHookCall(String tenant, String runId, String eventId, byte[] call) {
    int p = partitions.ofWorkflowRun(tenant, runId);
    return order.run(
        orderKey(tenant, runId),
        () ->
            link.write(
                    RedisScripts.WORKFLOW_KEEP_CALL,
                    List.of(keys.workflowRun(p, tenant, runId)),
                    List.of(eventId, call))
                .map(r -> r.toLong() == 1));
  }

  @Override
  public Future<Optional<byte[]>> hookCall(String tenant, String runId, String eventId) {
    return reads.hookCall(tenant, runId, eventId);
  }

  @Override
  public Future<List<WorkflowRun>> list(
      String tenant, String afterRunId, int limit, Predicate<WorkflowRun> keep) {
    return reads.list(tenant, afterRunId, limit, keep);
  }

  @Override
  public Future<Integer> expire(long endedBefore, int limit) {
    return retention.expire(endedBefore, limit);
  }

  /**
   * One {@code workflow_step} script in the run's partition, then the copy of the run's outbox
   * entry (this step's messages for other partitions, and any an earlier write left).
   */
  private Future<Response> step(
      String mode,
      String tenant,
      String runId,
      List<WorkflowStep> steps,
      Object a,
      Object b,
      List<Message> produced) {
    int p = partitions.ofWorkflowRun(tenant, runId);
    String field = MessageOutbox.field(tenant, runId);
    List<Message> local = new ArrayList<>();
    List<Message> remote = new ArrayList<>();
    for (Message m : produced) (partitions.ofId(m.id()) == p ? local : remote).add(m);
    PartitionBatch batch =
        new PartitionBatch(
            p,
            keys,
            partitions,
            keys.workflowRun(p, tenant, runId),
            keys.workflowSteps(p, tenant, runId),
            keys.workflowOutbox(p),
            keys.messages(p),
            keys.due(p),
            keys.ids(p),
            keys.workflowWaiters(p),
            keys.pendingCounts(p));
    try {
      batch.args.addAll(
          List.of(
              mode, encodeSteps(steps), field, MessageOutbox.encode(remote), a, b, local.size()));
      local.forEach(batch::addMessage);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return link.write(RedisScripts.WORKFLOW_STEP, batch.keys, batch.args)
        .compose(
            reply -> {
              byte[] entry = reply.get(1).toBytes();
              return outbox.copy(p, field, entry == null ? new byte[0] : entry).map(reply);
            });
  }

  /**
   * The steps for the script, one per line: an encoded step is compact JSON, which has no line
   * break.
   */
  private static byte[] encodeSteps(List<WorkflowStep> steps) {
    Buffer out = Buffer.buffer();
    for (WorkflowStep s : steps) {
      if (out.length() > 0) out.appendByte((byte) '\n');
      out.appendBytes(WorkflowRunCodec.encode(s));
    }
    return out.getBytes();
  }

  private static boolean recorded(Response reply) {
    return reply.get(0).toLong() == 1;
  }

  /** The waiter's field in its partition's waiters hash: tenant 0 runId 0 eventId 0 stepId. */
  private static String waiterField(WorkflowWaiter w) {
    return w.tenant() + '\0' + w.runId() + '\0' + w.eventId() + '\0' + w.stepId();
  }

  /** The waiter's member in its event's index: runId 0 stepId. */
  private static String indexMember(WorkflowWaiter w) {
    return w.runId() + '\0' + w.stepId();
  }

  private static String orderKey(String tenant, String runId) {
    return tenant + '\0' + runId;
  }
}
