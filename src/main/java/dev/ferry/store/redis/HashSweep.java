package dev.ferry.store.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Visits every entry of one hash per partition, a partition at a time: how the start-up recoveries
 * (outbox copies, run failures) find what a crash left half done.
 */
final class HashSweep {
  /** What to do with one entry; the entries of a partition are handled together. */
  @FunctionalInterface
  interface EntryAction {
    Future<Void> apply(int partition, String field, Response value);
  }

  private HashSweep() {}

  static Future<Void> eachEntry(
      RedisLink link, int partitions, IntFunction<String> hashKey, EntryAction action) {
    Future<Void> chain = Future.succeededFuture();
    for (int p = 0; p < partitions; p++) {
      int partition = p;
      chain =
          chain.compose(
              v ->
                  link.send(Request.cmd(Command.HGETALL).arg(hashKey.apply(partition)))
                      .compose(
                          entries -> {
                            List<Future<Void>> done = new ArrayList<>();
                            for (String field : entries.getKeys()) {
                              done.add(action.apply(partition, field, entries.get(field)));
                            }
                            return Settled.all(done).mapEmpty();
                          }));
    }
    return chain;
  }
}
