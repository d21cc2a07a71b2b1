package dev.ferry.delivery;

import dev.ferry.delivery.callback.Callbacks;
import dev.ferry.model.Message;
import dev.ferry.model.Queue;
import dev.ferry.store.MessageStore;
import dev.ferry.store.PartitionOwnership;
import dev.ferry.store.QueueStore;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one queue in FIFO order with at most {@code parallelism} messages in flight; a message
 * waiting for its retry keeps its slot, so with parallelism 1 the next message waits for the
 * current one's retries (and callbacks). The store is the queue: the dispatcher only holds a window
 * of its head, refilled from the store (always read from the head and skipping what is in flight,
 * so a message whose write committed late is never skipped). Lives on one delivery event loop;
 * every method runs there.
 *
 * <p>A first attempt that is not due yet (a schedule's tick with {@code Upstash-Delay}) has not
 * joined the queue: it holds no slot, and the dispatcher stops at it and wakes at its due time. Its
 * id sorts at that time, so the messages before it in the window joined earlier and every message
 * after it is due no earlier.
 */
final class QueueDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(QueueDispatcher.class);
  private static final int WINDOW = 128;

  private final String tenant;
  private final String name;
  private final Vertx vertx;
  private final MessageStore messages;
  private final QueueStore queues;
  private final Attempts attempts;
  private final Callbacks callbacks;
  private final Clock clock;
  private final PartitionOwnership ownership;

  private final Map<String, Message> inFlight = new HashMap<>();

  /**
   * Messages whose slot was given back while the window was being read: that read may have been
   * answered before their outcome was written, and must not bring them back.
   */
  private final Set<String> endedWhileReading = new HashSet<>();

  /** Timers of in-flight messages waiting for their retry (they hold a slot meanwhile), by id. */
  private final Map<String, Long> retryTimers = new HashMap<>();

  private ArrayDeque<Message> window = new ArrayDeque<>();
  private int parallelism = 1;
  private boolean paused;
  private boolean deleted;
  private boolean loading;
  private boolean reloadAgain;
  private boolean storeMayHaveMore;
  private Runnable onGone = () -> {};

  /**
   * The timer that wakes the dispatcher when the message at the front becomes due, or -1; and when.
   */
  private long wakeTimer = -1;

  private long wakeAt;

  QueueDispatcher(
      String tenant,
      String name,
      Vertx vertx,
      MessageStore messages,
      QueueStore queues,
      Attempts attempts,
      Callbacks callbacks,
      Clock clock,
      PartitionOwnership ownership) {
    this.ownership = ownership;
    this.tenant = tenant;
    this.name = name;
    this.vertx = vertx;
    this.messages = messages;
    this.queues = queues;
    this.attempts = attempts;
    this.callbacks = callbacks;
    this.clock = clock;
  }

  /** New messages were stored in the queue. */
  void nudged() {
    refill();
  }

  /** The queue's definition changed (parallelism, paused, deleted): re-read it, then carry on. */
  void configChanged() {
    queues
        .get(tenant, name)
        .onSuccess(this::apply)
        .onFailure(e -> LOG.error("queue {}/{}: cannot read its definition", tenant, name, e));
  }

  /**
   * Told once the queue is deleted and nothing of it is in flight, so its owner can forget this
   * dispatcher.
   */
  void onGone(Runnable onGone) {
    this.onGone = onGone;
  }

  /**
   * When another process owns the queue now: starts nothing more, forgets the window and the
   * retries waiting here (the owner reads the queue from the store). Attempts in flight end, and
   * their outcomes are recorded or refused by the store. Owned again later, the dispatcher starts
   * over from the store at its next change or nudge.
   */
  void releaseIfNotOwned() {
    if (owned()) return;
    window.clear();
    cancelWake();
    retryTimers.forEach(
        (id, timer) -> {
          vertx.cancelTimer(timer);
          inFlight.remove(id);
        });
    retryTimers.clear();
  }

  private boolean owned() {
    return ownership.ownsQueue(tenant, name);
  }

  boolean idle() {
    return inFlight.isEmpty() && window.isEmpty() && !loading;
  }

  private void apply(Optional<Queue> queue) {
    deleted = queue.isEmpty();
    if (deleted) {
      window.clear();
      cancelWake();
      if (idle())
        onGone.run(); // deleted queues' dispatchers must not pile up in memory (queue-name churn)
      return;
    }
    parallelism = queue.get().parallelism();
    paused = queue.get().paused();
    refill();
  }

  private void refill() {
    if (deleted || !owned()) return;
    if (loading) {
      reloadAgain = true;
      return;
    }
    loading = true;
    int limit = WINDOW + inFlight.size();
    messages
        .queueSlice(tenant, name, null, limit)
        .onComplete(
            ar -> {
              loading = false;
              Set<String> ended = Set.copyOf(endedWhileReading);
              endedWhileReading.clear(); // a read sent from now on sees their outcomes
              if (ar.succeeded()) {
                List<Message> slice = ar.result();
                storeMayHaveMore = slice.size() == limit;
                ArrayDeque<Message> next = new ArrayDeque<>(slice.size());
                for (Message m : slice) {
                  if (!inFlight.containsKey(m.id()) && !ended.contains(m.id())) next.add(m);
                }
                window = next;
              } else {
                LOG.error(
                    "queue {}/{}: cannot read its messages, retrying in 1s",
                    tenant,
                    name,
                    ar.cause());
                vertx.setTimer(1000, t -> refill());
              }
              if (reloadAgain) {
                reloadAgain = false;
                refill();
              } else {
                pump();
              }
            });
  }

  private void pump() {
    if (!owned()) {
      releaseIfNotOwned();
      return;
    }
    long now = clock.millis();
    while (!paused && !deleted && inFlight.size() < parallelism && !window.isEmpty()) {
      Message next = window.peek();
      if (next.retried() == 0 && next.dueAt() > now) { // not due: it has not joined the queue yet
        wakeAt(next.dueAt(), now);
        return;
      }
      start(window.poll());
    }
    if (window.isEmpty() && storeMayHaveMore && !loading) refill();
  }

  /** One timer per dispatcher, for the earliest time something in the window becomes due. */
  private void wakeAt(long at, long now) {
    if (wakeTimer >= 0 && wakeAt <= at) return;
    cancelWake();
    wakeAt = at;
    wakeTimer =
        vertx.setTimer(
            Math.max(1, at - now),
            t -> {
              wakeTimer = -1;
              pump();
            });
  }

  private void cancelWake() {
    if (wakeTimer >= 0) vertx.cancelTimer(wakeTimer);
    wakeTimer = -1;
  }

  private void start(Message m) {
    if (!owned()) { // a retry after the queue moved away: its new owner has it
      inFlight.remove(m.id());
      return;
    }
    inFlight.put(m.id(), m);
    long wait = m.dueAt() - clock.millis();
    if (wait > 0) {
      // a retry (or one restored after a restart) keeps its slot meanwhile
      retryTimers.put(
          m.id(),
          vertx.setTimer(
              wait,
              t -> {
                retryTimers.remove(m.id());
                attempt(m);
              }));
    } else {
      attempt(m);
    }
  }

  /** Gives the message's slot back once its outcome is recorded. */
  private void ended(Message m) {
    inFlight.remove(m.id());
    if (loading) endedWhileReading.add(m.id());
  }

  private void attempt(Message m) {
    attempts
        .run(m)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                LOG.error(
                    "queue {}/{}: recording the outcome of {} failed; retrying it in 1s",
                    tenant,
                    name,
                    m.id(),
                    ar.cause());
                vertx.setTimer(1000, t -> attempt(m));
                return;
              }
              Optional<Message> retry = ar.result();
              if (retry.isPresent()) {
                start(retry.get());
                return;
              }
              if (m.callback() == null && m.failureCallback() == null) {
                ended(m);
                pump();
                return;
              }
              // The slot is freed only once the message's callbacks are delivered or failed, as in
              // QStash.
              Context context = vertx.getOrCreateContext();
              callbacks.whenSettled(
                  m.id(),
                  () ->
                      context.runOnContext(
                          v -> {
                            ended(m);
                            pump();
                          }));
            });
  }
}
