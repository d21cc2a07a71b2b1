package dev.ferry.store.redis;

import dev.ferry.store.StoreUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * At most {@code permits} Redis operations at once; the rest wait their turn, in order. The Redis
 * Cluster client takes one pooled connection to every node for each operation, one node at a time:
 * with more operations at once than a node's pool holds, each can end up holding some nodes'
 * connections while waiting for another's, and none ever finishes (400 concurrent commands on a
 * 3-node cluster wedged the client for good; docs/operations.md, "Redis Sentinel, Cluster and
 * waitReplicas"). Keeping the operations below the pool size means every one that starts gets all
 * its connections. An operation that waited past its deadline fails without being sent.
 * Thread-safe.
 */
final class CommandGate {
  private final int permits;
  private final ArrayDeque<Waiter<?>> waiting = new ArrayDeque<>(); // guarded by this
  private int running; // guarded by this

  CommandGate(int permits) {
    if (permits < 1) throw new IllegalArgumentException("permits must be at least 1");
    this.permits = permits;
  }

  /**
   * Starts {@code operation} when a permit is free; fails with {@link StoreUnavailableException} if
   * it has not finished within {@code timeoutMillis} (waiting included).
   */
  <T> Future<T> run(Supplier<Future<T>> operation, long timeoutMillis) {
    Waiter<T> waiter =
        new Waiter<>(operation, Promise.promise(), System.nanoTime() + timeoutMillis * 1_000_000);
    boolean now;
    synchronized (this) {
      now = running < permits;
      if (now) running++;
      else waiting.add(waiter);
    }
    if (now) start(waiter);
    return waiter.promise.future();
  }

  /** Operations waiting for a permit now (tests). */
  synchronized int waiting() {
    return waiting.size();
  }

  private <T> void start(Waiter<T> waiter) {
    Future<T> result;
    try {
      result = waiter.operation.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(
        ar -> {
          release();
          if (ar.succeeded()) waiter.promise.tryComplete(ar.result());
          else waiter.promise.tryFail(ar.cause());
        });
  }

  /** Passes the permit to the next waiter still in time, failing those past their deadline. */
  private void release() {
    while (true) {
      Waiter<?> next;
      synchronized (this) {
        next = waiting.poll();
        if (next == null) {
          running--;
          return;
        }
      }
      if (System.nanoTime() < next.deadline) {
        start(next);
        return;
      }
      next.promise.tryFail(timedOut());
    }
  }

  private static StoreUnavailableException timedOut() {
    return new StoreUnavailableException(
        StoreUnavailableException.Reason.STORE_UNREACHABLE,
        "Redis unavailable: the command waited for a connection past its timeout");
  }

  private record Waiter<T>(Supplier<Future<T>> operation, Promise<T> promise, long deadline) {}
}
