package dev.ferry.delivery;

import io.netty.util.Timeout;
import io.vertx.core.Context;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Lets at most as many attempts run against one destination (scheme, host and port) as its
 * connection pool has connections; later ones wait here, in order, and their attempt deadline has
 * not started. Without it they waited in the HTTP client's pool, their deadline running: a slow but
 * healthy destination with a backlog failed attempts that were never sent ("no connection within
 * ..."), and a request that got its connection after its attempt had failed was still sent
 * (docs/operations.md#destination-faults-and-isolation).
 *
 * <p>A waiting attempt gives up only when the destination stops answering: after waiting its
 * timeout, it waits another timeout if some attempt of its destination got an answer (any status)
 * meanwhile, and otherwise ends as "no connection within ...", as before, so a dead destination's
 * backlog does not sit in memory. Thread-safe: every delivery event loop shares one gate, as it
 * shares the pool.
 */
final class ConnectionGate {
  /** What a waiting attempt does when its turn comes, or when it gives up; runs on its context. */
  interface Waiter {
    /** {@code waited}: false when it starts at once, on the thread that entered. */
    void start(boolean waited);

    void giveUp();
  }

  private final int perHost;
  private final AttemptDeadlines deadlines;
  private final Map<String, Host> hosts = new HashMap<>(); // guarded by this
  private int waiting; // guarded by this

  /** Attempts running against one destination, the ones waiting for them, and its answers. */
  private static final class Host {
    int running;
    long answers;
    final ArrayDeque<Entry> queue = new ArrayDeque<>();
  }

  /** A waiting attempt; {@code waiter} is null once it started or gave up. */
  private static final class Entry {
    final Context context;
    final long timeout;
    Waiter waiter;
    long answersSeen;
    Timeout wait;

    Entry(Context context, long timeout, Waiter waiter, long answersSeen) {
      this.context = context;
      this.timeout = timeout;
      this.waiter = waiter;
      this.answersSeen = answersSeen;
    }
  }

  /** {@code perHost}: connections per destination in the client's pool. */
  ConnectionGate(int perHost, AttemptDeadlines deadlines) {
    this.perHost = perHost;
    this.deadlines = deadlines;
  }

  /**
   * Starts {@code waiter} now, on the caller's thread, when {@code host} has a connection to spare;
   * otherwise it waits its turn. Every start must be followed by one {@link #leave}.
   */
  void enter(String host, Context context, long timeout, Waiter waiter) {
    synchronized (this) {
      Host h = hosts.computeIfAbsent(host, k -> new Host());
      if (h.running >= perHost) {
        Entry entry = new Entry(context, timeout, waiter, h.answers);
        h.queue.add(entry);
        waiting++;
        armWait(host, entry);
        return;
      }
      h.running++;
    }
    waiter.start(false);
  }

  /**
   * An attempt that started against {@code host} is over; {@code answered} when the destination
   * answered it. Its connection passes to the oldest waiting attempt.
   */
  void leave(String host, boolean answered) {
    Entry next;
    Waiter waiter;
    synchronized (this) {
      Host h = hosts.get(host);
      if (h == null) return;
      if (answered) h.answers++;
      next = h.queue.poll();
      while (next != null && next.waiter == null) next = h.queue.poll(); // gave up already
      if (next == null) {
        if (--h.running == 0 && h.queue.isEmpty()) hosts.remove(host);
        return;
      }
      waiting--;
      next.wait.cancel();
      waiter = take(next);
    }
    // after this turn of the loop, once the client has put the connection back into its pool
    next.context.runOnContext(v -> waiter.start(true));
  }

  /** Attempts waiting for a connection now, all destinations (metrics, tests). */
  synchronized int waiting() {
    return waiting;
  }

  /** Caller holds the lock. */
  private void armWait(String host, Entry entry) {
    entry.wait = deadlines.arm(entry.timeout, () -> waited(host, entry));
  }

  /** Wheel thread: {@code entry} waited its timeout. */
  private void waited(String host, Entry entry) {
    Waiter gaveUp;
    synchronized (this) {
      if (entry.waiter == null) return; // started meanwhile
      long answers = hosts.get(host).answers;
      if (answers > entry.answersSeen) {
        entry.answersSeen = answers; // the destination answers: keep waiting
        armWait(host, entry);
        return;
      }
      gaveUp = take(entry);
      waiting--; // its entry stays queued until it comes up, and leave skips it
    }
    entry.context.runOnContext(v -> gaveUp.giveUp());
  }

  /** The entry's waiter, which from now on is nobody's (it holds the attempt's message). */
  private static Waiter take(Entry entry) {
    Waiter waiter = entry.waiter;
    entry.waiter = null;
    return waiter;
  }
}
