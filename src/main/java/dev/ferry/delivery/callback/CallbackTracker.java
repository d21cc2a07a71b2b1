package dev.ferry.delivery.callback;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which callback messages of queued messages are still pending, so a queue slot is only freed once
 * its message's callbacks were delivered or failed (QStash: the next message of a queue waits for
 * the current one's callbacks). Callbacks run on any delivery partition, so this is shared and
 * thread-safe; waiters are called on the thread that finished the last callback and must hop to
 * their own context. In memory only: after a restart a queue no longer waits for callbacks created
 * before it (they are still delivered).
 */
final class CallbackTracker {
  private final Map<String, String> sourceOf = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> pending = new HashMap<>();
  private final Map<String, List<Runnable>> waiters = new HashMap<>();

  /** Callback messages {@code ids} of {@code source} are about to be stored. */
  synchronized void track(String source, List<String> ids) {
    Set<String> set = pending.computeIfAbsent(source, k -> new HashSet<>());
    for (String id : ids) {
      set.add(id);
      sourceOf.put(id, source);
    }
  }

  /** Storing them failed: forget them. */
  void untrack(List<String> ids) {
    ids.forEach(this::finished);
  }

  /**
   * A message reached a terminal state; if it was a tracked callback, its source may be settled
   * now.
   */
  void finished(String messageId) {
    if (sourceOf.isEmpty()) return; // the common case: no queued message with callbacks anywhere
    String source = sourceOf.remove(messageId);
    if (source == null) return;
    List<Runnable> ready = null;
    synchronized (this) {
      Set<String> set = pending.get(source);
      if (set != null) {
        set.remove(messageId);
        if (set.isEmpty()) {
          pending.remove(source);
          ready = waiters.remove(source);
        }
      }
    }
    if (ready != null) ready.forEach(Runnable::run);
  }

  /**
   * Runs {@code then} once every tracked callback of {@code source} is finished (at once when none
   * is pending).
   */
  void whenSettled(String source, Runnable then) {
    synchronized (this) {
      if (pending.containsKey(source)) {
        waiters.computeIfAbsent(source, k -> new ArrayList<>()).add(then);
        return;
      }
    }
    then.run();
  }

  /** For tests: callback messages being waited for. */
  synchronized int pendingCount() {
    return pending.values().stream().mapToInt(Set::size).sum();
  }
}
