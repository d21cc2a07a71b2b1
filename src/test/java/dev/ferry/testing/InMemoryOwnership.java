package dev.ferry.testing;

import dev.ferry.store.PartitionOwnership;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link PartitionOwnership} that a test moves by hand: this process owns everything except what
 * was given away, named by {@link #queue}, {@link #message} or {@link #schedule}. {@link #release},
 * {@link #lose} and {@link #gain} tell the listeners as a shared backend would. Thread-safe.
 */
public final class InMemoryOwnership implements PartitionOwnership {
  private final Set<String> elsewhere = ConcurrentHashMap.newKeySet();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private volatile long settleMillis;

  /** What {@link #settleMillis()} answers from now on (0 by default). */
  public InMemoryOwnership settlingFor(long millis) {
    settleMillis = millis;
    return this;
  }

  @Override
  public long settleMillis() {
    return settleMillis;
  }

  public static String queue(String tenant, String queue) {
    return "q:" + tenant + "/" + queue;
  }

  public static String message(String id) {
    return "m:" + id;
  }

  public static String schedule(String scheduleId) {
    return "s:" + scheduleId;
  }

  /** A queued message belongs with its queue, one from a schedule with it, else with its id. */
  @Override
  public boolean ownsMessage(
      String messageId, String tenant, String queue, String flowKey, String scheduleId) {
    if (queue != null) return ownsQueue(tenant, queue);
    if (scheduleId != null && elsewhere.contains(schedule(scheduleId))) return false;
    return !elsewhere.contains(message(messageId));
  }

  @Override
  public boolean ownsQueue(String tenant, String queue) {
    return !elsewhere.contains(queue(tenant, queue));
  }

  @Override
  public boolean ownsSchedule(String scheduleId) {
    return !elsewhere.contains(schedule(scheduleId));
  }

  @Override
  public boolean ownsFlowControlKey(String tenant, String key) {
    return true;
  }

  @Override
  public void listen(Listener listener) {
    listeners.add(listener);
  }

  /** Hands the things over: completes once every listener let its attempts on them end. */
  public Future<Void> release(String... things) {
    elsewhere.addAll(List.of(things));
    List<Future<Void>> drains = new ArrayList<>();
    listeners.forEach(l -> drains.add(l.releasing()));
    return Future.all(drains).mapEmpty();
  }

  /** Loses the things without a handover (a lease ran out). */
  public void lose(String... things) {
    elsewhere.addAll(List.of(things));
    listeners.forEach(Listener::lost);
  }

  /** Owns the things again. */
  public void gain(String... things) {
    elsewhere.removeAll(List.of(things));
    listeners.forEach(Listener::gained);
  }
}
