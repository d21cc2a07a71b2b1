package dev.ferry.delivery.hosts;

import dev.ferry.egress.DestinationHosts;
import dev.ferry.model.DueEntry;
import dev.ferry.model.Message;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Caps how many of delivery's slots for unqueued messages one destination host may hold, across all
 * partitions ({@code isolation.hostSharePercent}). Without it a dead or very slow destination with
 * a large backlog fills every slot with attempts that each wait for their timeout, and healthy
 * destinations wait behind them (docs/architecture.md#isolation-of-destinations).
 *
 * <p>A message whose host holds its share is <em>parked</em>: only its id and due time are kept
 * here (its row in the store is untouched), and it leaves the plane's in-memory bound. When one of
 * the host's messages leaves delivery its slot passes straight to the oldest parked message of that
 * host ({@link Resume}: read it again from the store and start it), so the host keeps its share
 * busy and its parked messages go in order. Queued and flow-controlled messages are not counted:
 * their own parallelism bounds them. Thread-safe; called from every delivery event loop.
 */
public final class HostShares {
  /**
   * Starts a parked message whose host has a slot for it now; the slot is already taken in its
   * name.
   */
  @FunctionalInterface
  public interface Resume {
    void resume(String host, DueEntry parked);
  }

  private final int share;
  private final Map<String, Host> hosts = new HashMap<>(); // guarded by this
  private long parkedTotal; // guarded by this
  private volatile Resume resume = (host, parked) -> {};

  /** Slots held and messages waiting for one, of one host. */
  private static final class Host {
    int held;
    final LinkedHashMap<String, Long> parked = new LinkedHashMap<>(); // id → due time, oldest first
  }

  /**
   * @param slots delivery's slots for unqueued messages ({@code delivery.instances ×
   *     delivery.maxInFlight})
   * @param percent the share of them one host may hold (100 = no limit)
   */
  public HostShares(int slots, int percent) {
    this.share =
        percent >= 100 ? Integer.MAX_VALUE : (int) Math.max(1, ((long) slots * percent + 99) / 100);
  }

  /** No limit (tests and partitions built without one). */
  public static HostShares unlimited() {
    return new HostShares(1, 100);
  }

  /** Wired in {@code Ferry}, before delivery starts. */
  public void onResume(Resume resume) {
    this.resume = resume;
  }

  /** The most slots one host may hold. */
  public int share() {
    return share;
  }

  /**
   * Whether {@code m} is counted here at all: unqueued, not flow-controlled, and a limit is set.
   */
  public boolean counts(Message m) {
    return share != Integer.MAX_VALUE && !m.queued() && m.flowControl() == null;
  }

  /**
   * A due entry for {@code m}, tagged with its host when {@code m} is counted here ({@link
   * DueEntry#host()}).
   */
  public DueEntry dueEntry(Message m, long dueAt) {
    return new DueEntry(dueAt, m.id(), counts(m) ? hostOf(m.url()) : null);
  }

  /**
   * Parks a due entry of a host that holds its share now, without its message: the scheduler asks
   * before reading a due message from the store, so a saturated host's backlog is read once, when a
   * slot passes to it, not also to be parked. False (nothing changes) when the host has room.
   * Atomic with {@link #release}: a slot freed a moment later passes to this entry.
   */
  public synchronized boolean parkIfFull(DueEntry entry) {
    Host h = entry.host() == null ? null : hosts.get(entry.host());
    if (h == null || h.held < share) return false;
    park(h, entry.messageId(), entry.dueAt());
    return true;
  }

  /**
   * Takes a slot of {@code m}'s host; false when the host holds its share, and then {@code m} is
   * parked.
   */
  public synchronized boolean acquire(Message m) {
    Host h = hosts.computeIfAbsent(hostOf(m.url()), k -> new Host());
    if (h.held < share) {
      h.held++;
      return true;
    }
    park(h, m.id(), m.dueAt());
    return false;
  }

  /**
   * Into the host's parked messages, once (a duplicate entry keeps its place); caller holds the
   * lock.
   */
  private void park(Host h, String id, long dueAt) {
    if (h.parked.putIfAbsent(id, dueAt) == null) parkedTotal++;
  }

  /**
   * The message holding a slot of {@code host} left delivery: the slot goes to the host's oldest
   * parked message.
   */
  public void release(String host) {
    DueEntry next = null;
    synchronized (this) {
      Host h = hosts.get(host);
      if (h == null) return;
      Iterator<Map.Entry<String, Long>> oldest = h.parked.entrySet().iterator();
      if (oldest.hasNext()) {
        Map.Entry<String, Long> e = oldest.next();
        oldest.remove();
        parkedTotal--;
        next = new DueEntry(e.getValue(), e.getKey()); // the slot stays taken, now in its name
      } else if (--h.held == 0) {
        hosts.remove(host);
      }
    }
    if (next != null) resume.resume(host, next);
  }

  /** Messages parked now, all hosts (tests, metrics). */
  public synchronized long parked() {
    return parkedTotal;
  }

  /** Slots {@code host} holds now (tests). */
  synchronized int held(String host) {
    Host h = hosts.get(host);
    return h == null ? 0 : h.held;
  }

  /**
   * The key slots are counted by: scheme, host and port of the URL, lower case (one connection pool
   * each). Cheap string work, no URI parsing: it runs for every unqueued attempt.
   */
  public static String hostOf(String url) {
    return url.substring(
            0, DestinationHosts.authorityEnd(url, DestinationHosts.authorityStart(url)))
        .toLowerCase(Locale.ROOT);
  }
}
