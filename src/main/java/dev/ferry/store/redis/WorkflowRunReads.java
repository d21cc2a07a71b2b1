package dev.ferry.store.redis;

import dev.ferry.model.WorkflowRun;
import dev.ferry.model.WorkflowStep;
import dev.ferry.model.WorkflowWaiter;
import dev.ferry.store.codec.WorkflowRunCodec;
import dev.ferry.store.codec.WorkflowWaiterCodec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The reads of {@link RedisWorkflowRunStore}: a run (its record as created, joined with its state
 * fields and step count), its steps, waiters and kept calls, and listings through the tenant
 * indexes, which may name runs and waiters already gone (written before, removed after the records
 * they name): those are skipped. Non-blocking; thread-safe.
 */
final class WorkflowRunReads {
  /** How many run ids a listing reads from the tenant's index at a time. */
  private static final int LIST_CHUNK = 100;

  static final Comparator<WorkflowWaiter> WAITER_ORDER =
      Comparator.comparing(WorkflowWaiter::tenant)
          .thenComparing(WorkflowWaiter::eventId)
          .thenComparing(WorkflowWaiter::runId)
          .thenComparingInt(WorkflowWaiter::stepId);

  private final RedisLink link;
  private final RedisKeys keys;
  private final Partitions partitions;

  WorkflowRunReads(RedisLink link, RedisKeys keys, Partitions partitions) {
    this.link = link;
    this.keys = keys;
    this.partitions = partitions;
  }

  Future<Optional<WorkflowRun>> find(String tenant, String runId) {
    int p = partitions.ofWorkflowRun(tenant, runId);
    return link.read(
            RedisScripts.WORKFLOW_FIND,
            List.of(keys.workflowRun(p, tenant, runId), keys.workflowSteps(p, tenant, runId)),
            List.of())
        .map(
            r -> {
              if (r == null) return Optional.<WorkflowRun>empty();
              WorkflowRun created = WorkflowRunCodec.decodeRun(r.get(0).toBytes());
              String dlqId = r.get(5).toString();
              String callback = r.get(6).toString();
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
                      Long.parseLong(r.get(3).toString()),
                      dlqId.isEmpty() ? null : dlqId,
                      created.invoker(),
                      callback.isEmpty()
                          ? null
                          : WorkflowRunCodec.decodeFailureCallback(new JsonObject(callback))));
            });
  }

  Future<List<WorkflowStep>> steps(String tenant, String runId) {
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

  Future<Optional<byte[]>> hookCall(String tenant, String runId, String eventId) {
    int p = partitions.ofWorkflowRun(tenant, runId);
    return link.send(
            Request.cmd(Command.HGET).arg(keys.workflowRun(p, tenant, runId)).arg("h:" + eventId))
        .map(r -> r == null ? Optional.<byte[]>empty() : Optional.of(r.toBytes()));
  }

  /** The event index names the waiters; each is read from its run's partition. */
  Future<List<WorkflowWaiter>> waiters(String tenant, String eventId) {
    return link.send(Request.cmd(Command.SMEMBERS).arg(keys.workflowEventIndex(tenant, eventId)))
        .compose(
            members -> {
              List<Future<Response>> reads = new ArrayList<>();
              for (Response m : members) {
                String member = m.toString();
                String runId = member.substring(0, member.indexOf('\0'));
                int p = partitions.ofWorkflowRun(tenant, runId);
                reads.add(
                    link.send(
                        Request.cmd(Command.HGET)
                            .arg(keys.workflowWaiters(p))
                            .arg(
                                tenant
                                    + '\0'
                                    + runId
                                    + '\0'
                                    + eventId
                                    + member.substring(runId.length()))));
              }
              return Settled.all(reads);
            })
        .map(WorkflowRunReads::decodeWaiters);
  }

  Future<List<WorkflowWaiter>> allWaiters() {
    List<Future<Response>> reads = new ArrayList<>();
    for (int p = 0; p < partitions.count(); p++) {
      reads.add(link.send(Request.cmd(Command.HVALS).arg(keys.workflowWaiters(p))));
    }
    return Settled.all(reads)
        .map(
            replies -> {
              List<WorkflowWaiter> out = new ArrayList<>();
              for (Response reply : replies) out.addAll(decodeWaiters(List.of(reply)));
              out.sort(WAITER_ORDER);
              return out;
            });
  }

  /** Values or arrays of values; nils (waiters gone) are skipped. Sorted. */
  private static List<WorkflowWaiter> decodeWaiters(List<Response> replies) {
    List<WorkflowWaiter> out = new ArrayList<>();
    for (Response r : replies) {
      if (r == null) continue;
      if (r.type() == io.vertx.redis.client.ResponseType.MULTI) {
        for (Response v : r) out.add(WorkflowWaiterCodec.decode(v.toBytes()));
      } else {
        out.add(WorkflowWaiterCodec.decode(r.toBytes()));
      }
    }
    out.sort(WAITER_ORDER);
    return out;
  }

  /** The ended runs of every partition's untold set. */
  Future<List<WorkflowRun>> untold() {
    List<Future<Response>> reads = new ArrayList<>();
    for (int p = 0; p < partitions.count(); p++) {
      reads.add(link.send(Request.cmd(Command.SMEMBERS).arg(keys.workflowUntold(p))));
    }
    return Settled.all(reads)
        .compose(
            replies -> {
              List<Future<Optional<WorkflowRun>>> runs = new ArrayList<>();
              for (Response reply : replies) {
                for (Response m : reply) {
                  String member = m.toString();
                  int zero = member.indexOf('\0');
                  runs.add(find(member.substring(0, zero), member.substring(zero + 1)));
                }
              }
              return Settled.all(runs);
            })
        .map(found -> found.stream().flatMap(Optional::stream).toList());
  }

  Future<List<WorkflowRun>> list(
      String tenant, String afterRunId, int limit, Predicate<WorkflowRun> keep) {
    if (limit <= 0) return Future.succeededFuture(List.of());
    return listFrom(tenant, afterRunId, limit, keep, new ArrayList<>());
  }

  private Future<List<WorkflowRun>> listFrom(
      String tenant,
      String afterRunId,
      int limit,
      Predicate<WorkflowRun> keep,
      List<WorkflowRun> found) {
    byte[] start = afterRunId == null ? new byte[] {'-'} : Members.bound('(', afterRunId);
    return link.send(
            Request.cmd(Command.ZRANGEBYLEX)
                .arg(keys.workflowRunIndex(tenant))
                .arg(start)
                .arg("+")
                .arg("LIMIT")
                .arg(0)
                .arg(LIST_CHUNK))
        .compose(
            ids -> {
              List<String> runIds = RedisMessageStore.strings(ids);
              List<Future<Optional<WorkflowRun>>> reads = new ArrayList<>();
              for (String runId : runIds) reads.add(find(tenant, runId));
              return Settled.all(reads)
                  .compose(
                      runs -> {
                        for (Optional<WorkflowRun> run : runs) {
                          if (run.isEmpty() || !keep.test(run.get())) continue;
                          found.add(run.get());
                          if (found.size() == limit) return Future.succeededFuture(found);
                        }
                        if (runIds.size() < LIST_CHUNK) return Future.succeededFuture(found);
                        return listFrom(tenant, runIds.get(runIds.size() - 1), limit, keep, found);
                      });
            });
  }
}
