package dev.ferry.store.redis;

import dev.ferry.model.WorkflowRun;
import dev.ferry.model.WorkflowStep;
import dev.ferry.store.WorkflowRunStore;
import dev.ferry.store.codec.WorkflowRunCodec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * {@link WorkflowRunStore} on Redis: a run is a hash (its record as created, kept unchanged, plus
 * its state and, once ended, response and end time) and a list of its steps, both in partition
 * {@code hash(tenant, runId)}; each call that checks and changes a run is one script there. The
 * step count is the list's length. The writes of one run from this process go to Redis one after
 * the other, in the order they were called (the client's pooled connections would reorder them).
 * Non-blocking; thread-safe.
 */
final class RedisWorkflowRunStore implements WorkflowRunStore {
  private final RedisLink link;
  private final RedisKeys keys;
  private final Partitions partitions;
  private final Map<String, Future<?>> tails = new ConcurrentHashMap<>();

  RedisWorkflowRunStore(RedisLink link, RedisKeys keys, Partitions partitions) {
    this.link = link;
    this.keys = keys;
    this.partitions = partitions;
  }

  @Override
  public Future<Boolean> create(WorkflowRun run, WorkflowStep first) {
    return inOrder(
        run.tenant(),
        run.runId(),
        () ->
            link.write(
                    RedisScripts.WORKFLOW_CREATE,
                    runKeys(run.tenant(), run.runId()),
                    List.of(WorkflowRunCodec.encode(run), WorkflowRunCodec.encode(first)))
                .map(r -> r.toLong() == 1));
  }

  @Override
  public Future<Optional<WorkflowRun>> find(String tenant, String runId) {
    return link.read(RedisScripts.WORKFLOW_FIND, runKeys(tenant, runId), List.of())
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
                      WorkflowRun.State.valueOf(r.get(1).toString()),
                      created.settings(),
                      r.get(4).toInteger(),
                      r.get(2).toBytes(),
                      Long.parseLong(r.get(3).toString())));
            });
  }

  @Override
  public Future<Boolean> append(String tenant, String runId, WorkflowStep step) {
    byte[] encoded = WorkflowRunCodec.encode(step);
    return inOrder(
        tenant,
        runId,
        () ->
            link.write(RedisScripts.WORKFLOW_APPEND, runKeys(tenant, runId), List.of(encoded))
                .map(r -> r.toLong() == 1));
  }

  @Override
  public Future<List<WorkflowStep>> steps(String tenant, String runId) {
    int p = partitions.ofWorkflowRun(tenant, runId);
    return link.send(
            Request.cmd(Command.LRANGE).arg(keys.workflowSteps(p, tenant, runId)).arg(0).arg(-1))
        .map(
            reply -> {
              List<WorkflowStep> out = new ArrayList<>();
              for (Response r : reply) out.add(WorkflowRunCodec.decodeStep(r.toBytes()));
              return out;
            });
  }

  @Override
  public Future<Optional<WorkflowRun>> end(
      String tenant, String runId, WorkflowRun.State state, byte[] response, long endedAt) {
    return inOrder(tenant, runId, () -> endNow(tenant, runId, state, response, endedAt));
  }

  private Future<Optional<WorkflowRun>> endNow(
      String tenant, String runId, WorkflowRun.State state, byte[] response, long endedAt) {
    return link.write(
            RedisScripts.WORKFLOW_END,
            runKeys(tenant, runId),
            List.of(state.name(), response == null ? new byte[0] : response, endedAt))
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
                      0));
            });
  }

  /**
   * Runs {@code write} once every write of the same run called before it completed; answers on the
   * caller's context.
   */
  private <T> Future<T> inOrder(String tenant, String runId, Supplier<Future<T>> write) {
    String key = tenant + '\0' + runId;
    Context caller = Vertx.currentContext();
    Promise<Void> mine = Promise.promise();
    AtomicReference<Future<?>> before = new AtomicReference<>();
    tails.compute(
        key,
        (k, tail) -> {
          before.set(tail);
          return mine.future();
        });
    Future<?> previous = before.get() == null ? Future.succeededFuture() : before.get();
    Promise<T> answer = Promise.promise();
    previous
        .transform(ignored -> write.get())
        .onComplete(
            ar -> {
              tails.remove(key, mine.future());
              mine.complete();
              if (caller == null || Vertx.currentContext() == caller) answer.handle(ar);
              else caller.runOnContext(v -> answer.handle(ar));
            });
    return answer.future();
  }

  private List<String> runKeys(String tenant, String runId) {
    int p = partitions.ofWorkflowRun(tenant, runId);
    return List.of(keys.workflowRun(p, tenant, runId), keys.workflowSteps(p, tenant, runId));
  }
}
