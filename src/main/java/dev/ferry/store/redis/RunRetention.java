package dev.ferry.store.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Retention of the Redis workflow run store: each partition indexes its ended runs by end time; one
 * script per partition forgets those that ended before the cutoff (with steps, waiters, kept calls
 * and marks), then their rows in the tenant indexes go (a crash between leaves rows that listings
 * skip). Non-blocking; thread-safe.
 */
final class RunRetention {
  private final RedisLink link;
  private final RedisKeys keys;
  private final Partitions partitions;

  RunRetention(RedisLink link, RedisKeys keys, Partitions partitions) {
    this.link = link;
    this.keys = keys;
    this.partitions = partitions;
  }

  /** Walks the partitions' retention indexes in turn until {@code limit} runs are forgotten. */
  Future<Integer> expire(long endedBefore, int limit) {
    return expireFrom(0, endedBefore, limit, 0);
  }

  private Future<Integer> expireFrom(int p, long endedBefore, int remaining, int done) {
    if (p >= partitions.count() || remaining <= 0) return Future.succeededFuture(done);
    return link.send(
            Request.cmd(Command.ZRANGEBYSCORE)
                .arg(keys.workflowEnded(p))
                .arg("-inf")
                .arg("(" + endedBefore)
                .arg("LIMIT")
                .arg(0)
                .arg(remaining))
        .compose(
            candidates ->
                candidates.size() == 0
                    ? Future.succeededFuture(0)
                    : expireIn(p, endedBefore, RedisMessageStore.strings(candidates)))
        .compose(n -> expireFrom(p + 1, endedBefore, remaining - n, done + n));
  }

  /** One script forgets the runs; then their index rows go. */
  private Future<Integer> expireIn(int p, long endedBefore, List<String> members) {
    List<String> scriptKeys =
        new ArrayList<>(
            List.of(keys.workflowEnded(p), keys.workflowWaiters(p), keys.workflowUntold(p)));
    List<Object> args = new ArrayList<>(List.of(endedBefore));
    for (String member : members) {
      String[] run = member.split("\0", 2);
      scriptKeys.add(keys.workflowRun(p, run[0], run[1]));
      scriptKeys.add(keys.workflowSteps(p, run[0], run[1]));
      args.add(member);
    }
    return link.write(RedisScripts.WORKFLOW_EXPIRE, scriptKeys, args)
        .compose(
            reply -> {
              List<String> forgotten = RedisMessageStore.strings(reply.get(0));
              List<Future<Response>> cleanups = new ArrayList<>();
              for (String member : forgotten) {
                String[] run = member.split("\0", 2);
                cleanups.add(
                    link.send(
                        Request.cmd(Command.ZREM).arg(keys.workflowRunIndex(run[0])).arg(run[1])));
              }
              for (String field : RedisMessageStore.strings(reply.get(1))) {
                // tenant 0 runId 0 eventId 0 stepId
                String[] w = field.split("\0", 4);
                cleanups.add(
                    link.send(
                        Request.cmd(Command.SREM)
                            .arg(keys.workflowEventIndex(w[0], w[2]))
                            .arg(w[1] + '\0' + w[3])));
              }
              return Settled.all(cleanups).map(forgotten.size());
            });
  }
}
