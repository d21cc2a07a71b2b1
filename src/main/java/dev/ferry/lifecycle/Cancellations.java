package dev.ferry.lifecycle;

import dev.ferry.model.Message;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ids of messages cancelled while delivery may still hold them in memory (a partition's waiting
 * line, a queue's window, a retry timer). The store is the truth — a cancel removes the pending
 * message in one synced write — and this set only bridges the copies delivery read before that
 * write: delivery asks it right before every attempt and when an attempt ends. An entry leaves when
 * delivery meets the id, or after {@code keepMillis} (longer than any in-memory copy can wait:
 * retry timers are capped at a day), or, past {@code maxEntries}, oldest first. Thread-safe: the
 * API adds, delivery event loops take.
 */
public final class Cancellations {
  private static final Logger LOG = LoggerFactory.getLogger(Cancellations.class);

  private final Map<String, Long> ids = new ConcurrentHashMap<>();
  private final LongSupplier clock;
  private final long keepMillis;
  private final int maxEntries;

  /** Told of each cancel made here, for the process that owns the message (if another one). */
  private volatile Consumer<String> owners = id -> {};

  public Cancellations(LongSupplier clock, long keepMillis, int maxEntries) {
    this.clock = clock;
    this.keepMillis = keepMillis;
    this.maxEntries = maxEntries;
  }

  /**
   * Each cancel made here is also told to {@code owners} (the backend's nudges), so that the
   * process delivering the message, if another, starts no attempt of a copy it holds. Set once, in
   * wiring.
   */
  public void announceTo(Consumer<String> owners) {
    this.owners = owners;
  }

  /** The message's cancel committed: no attempt of it may start from now on. */
  public void add(String messageId) {
    heard(messageId);
    owners.accept(messageId);
  }

  /**
   * Another process cancelled the message, which this one delivers: {@link #add} without telling.
   */
  public void heard(String messageId) {
    ids.put(messageId, clock.getAsLong());
  }

  /**
   * {@link #add} for a message just removed by a cancel, skipping unqueued messages due more than a
   * minute from now: delivery holds no copy of those (the scheduler keeps only ids and re-reads the
   * store before delivering).
   */
  public void add(Message cancelled) {
    if (cancelled.queued() || cancelled.dueAt() <= clock.getAsLong() + 60_000) add(cancelled.id());
  }

  /** True (and forgets the id) when the message was cancelled: delivery then drops its copy. */
  public boolean take(String messageId) {
    return !ids.isEmpty() && ids.remove(messageId) != null;
  }

  public boolean contains(String messageId) {
    return ids.containsKey(messageId);
  }

  public int size() {
    return ids.size();
  }

  /**
   * Forgets entries older than the keep time, then the oldest beyond the cap. Called periodically.
   */
  public void sweep() {
    long cutoff = clock.getAsLong() - keepMillis;
    ids.values().removeIf(at -> at < cutoff);
    int excess = ids.size() - maxEntries;
    if (excess > 0) {
      LOG.warn(
          "{} cancelled message ids exceed the cap of {}; forgetting the oldest",
          ids.size(),
          maxEntries);
      ids.entrySet().stream()
          .sorted(Map.Entry.comparingByValue())
          .limit(excess)
          .map(Map.Entry::getKey)
          .toList()
          .forEach(ids::remove);
    }
  }

  Iterator<String> iterator() {
    return ids.keySet().iterator();
  }
}
