package dev.ferry.delivery;

import dev.ferry.model.Message;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery's part of a graceful shutdown. Counts the attempts running now (sending, then recording
 * the outcome); once {@link #stop} is called no attempt starts any more, and the running ones may
 * finish and be recorded until the deadline. Those still running then are <em>abandoned</em>:
 * whatever they end with is not recorded, so their messages stay pending in the store exactly as
 * before the attempt (no retry used, no DLQ entry) and are delivered again after the restart.
 * Messages that never started stay pending too. A handover of partitions to another process waits
 * the same way for the attempts of the messages it gives up ({@link #whenNoneRunning}).
 * Thread-safe; one per Ferry, shared by all partitions.
 */
public final class DeliveryDrain {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryDrain.class);
  private static final long HANDOVER_POLL_MILLIS = 10;
  private final AtomicInteger running = new AtomicInteger();

  /** The messages of the attempts running now, for a handover (see {@link #whenNoneRunning}). */
  private final Map<String, Message> runningMessages = new ConcurrentHashMap<>();

  private final Promise<Integer> stopped = Promise.promise();
  private volatile boolean stopping;
  private volatile boolean abandoned;

  /**
   * A new attempt may start, and is counted; false once shutdown began (the message stays pending).
   */
  boolean enter() {
    if (stopping) return false;
    running.incrementAndGet();
    if (stopping) { // stop() ran in between: it may have seen the count without this attempt
      exit();
      return false;
    }
    return true;
  }

  /**
   * The attempt counted by {@link #enter} is over: its outcome is recorded (or recording failed).
   */
  void exit() {
    if (running.decrementAndGet() == 0 && stopping) stopped.tryComplete(0);
  }

  /**
   * {@link #enter} for an attempt of {@code m}: counted, and known until {@link #exit(Message)}.
   */
  boolean enter(Message m) {
    if (!enter()) return false;
    runningMessages.put(m.id(), m);
    return true;
  }

  void exit(Message m) {
    runningMessages.remove(m.id(), m);
    exit();
  }

  /**
   * Completes once no attempt runs of a message that {@code matches}, or at once when delivery is
   * stopping for a shutdown (its own drain has waited for the attempts). Looks every few ms: a
   * handover is rare, and this keeps attempts free of any bookkeeping beyond one set.
   */
  public Future<Void> whenNoneRunning(Vertx vertx, Predicate<Message> matches) {
    Promise<Void> done = Promise.promise();
    Runnable check =
        () -> {
          if (stopping || runningMessages.values().stream().noneMatch(matches)) done.tryComplete();
        };
    check.run();
    if (!done.future().isComplete()) {
      long timer = vertx.setPeriodic(HANDOVER_POLL_MILLIS, t -> check.run());
      done.future().onComplete(ar -> vertx.cancelTimer(timer));
    }
    return done.future();
  }

  /** Past the deadline: outcomes that arrive now are not recorded. */
  boolean abandoned() {
    return abandoned;
  }

  /** Attempts running now. */
  public int running() {
    return running.get();
  }

  /**
   * {@link #stop} for a shutdown of {@code gracePeriod}: the running attempts get all of it but
   * {@link #closeReserve}, and the log says how many were in flight and how many were left pending.
   */
  public Future<Integer> stopForShutdown(Vertx vertx, Duration gracePeriod) {
    long attemptsMillis = gracePeriod.minus(closeReserve(gracePeriod)).toMillis();
    Future<Integer> stopped = stop(vertx, attemptsMillis);
    // read after stop(): no attempt starts any more, so every attempt that can be abandoned is
    // counted here
    int inFlight = running();
    if (inFlight > 0) {
      LOG.info(
          "shutdown: {} delivery attempts in flight; they may finish for up to {} ms",
          inFlight,
          attemptsMillis);
    }
    return stopped.onSuccess(
        abandoned -> {
          if (abandoned > 0) {
            LOG.warn(
                "shutdown: {} delivery attempts still running after {} ms are left pending; their messages are "
                    + "delivered again after the restart",
                abandoned,
                attemptsMillis);
          } else if (inFlight > 0) {
            LOG.info("shutdown: every delivery attempt in flight finished and was recorded");
          }
        });
  }

  /**
   * The end of a grace period kept for closing things after the drain: a fifth of it, at most 5 s
   * (closing the store syncs its log and takes well under a second).
   */
  static Duration closeReserve(Duration gracePeriod) {
    Duration fifth = gracePeriod.dividedBy(5);
    return fifth.compareTo(Duration.ofSeconds(5)) < 0 ? fifth : Duration.ofSeconds(5);
  }

  /**
   * Stops starting attempts and waits for the running ones until {@code deadlineMillis} from now.
   * Completes with the number of attempts abandoned at the deadline (0 when all finished in time).
   * Call once.
   */
  public Future<Integer> stop(Vertx vertx, long deadlineMillis) {
    stopping = true;
    if (running.get() == 0) {
      stopped.tryComplete(0);
    } else {
      long timer =
          vertx.setTimer(
              Math.max(1, deadlineMillis),
              t -> {
                abandoned = true;
                stopped.tryComplete(running.get());
              });
      stopped.future().onComplete(ar -> vertx.cancelTimer(timer));
    }
    return stopped.future();
  }
}
