package dev.ferry.delivery.flow;

import dev.ferry.delivery.DeliveryPlane;
import dev.ferry.model.FlowControlCommand;
import dev.ferry.model.FlowControlSettings;
import dev.ferry.model.FlowControlState;
import dev.ferry.model.Message;
import dev.ferry.store.FlowControlStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The flow-control lanes of one delivery partition: every key hashed to it (see {@code
 * DeliveryPlane}) is a {@link FlowControlLane}; a due message waits in its key's waitlist until the
 * key's parallelism, rate, pause and the global cap let it start, then {@code starter} runs its
 * attempt. Never rejects, never drops: a message leaves the waitlist only to start.
 *
 * <p>Memory is bounded ({@link FlowControlBounds}): past {@code maxWaiting} waiting messages,
 * {@link #offer} hands a message back (the caller gives it to the scheduler for a time the key's
 * rate suggests; its row stays in the store), and idle keys are forgotten, by a periodic sweep and
 * whenever {@code maxKeys} is reached. Lives on the partition's event loop; every method runs
 * there.
 */
public final class FlowControlLanes {
  static final long SWEEP_MILLIS = 10_000;

  /** Earliest a handed-back message is looked at again. */
  static final long MIN_DEFER_MILLIS = 1_000;

  private final Vertx vertx;
  private final Context context;
  private final Clock clock;
  private final GlobalParallelism global;
  private final Consumer<Message> starter;
  private final FlowControlStore store;
  private final Map<String, FlowControlLane> lanes = new LinkedHashMap<>();
  private final Set<FlowControlLane> globallyBlocked = new LinkedHashSet<>();
  private final FlowControlBounds bounds;
  private int waiting;
  private long waitingBytes;

  public FlowControlLanes(
      Vertx vertx,
      Context context,
      Clock clock,
      GlobalParallelism global,
      FlowControlStore store,
      Consumer<Message> starter,
      FlowControlBounds bounds) {
    this.bounds = bounds;
    this.vertx = vertx;
    this.store = store;
    this.context = context;
    this.clock = clock;
    this.global = global;
    this.starter = starter;
    global.onCapacity(
        () ->
            context.runOnContext(
                v -> {
                  List<FlowControlLane> blocked = new ArrayList<>(globallyBlocked);
                  globallyBlocked.clear();
                  blocked.forEach(this::pump);
                }));
    vertx.setPeriodic(
        SWEEP_MILLIS,
        t ->
            forgetIdle(
                clock.millis(), FlowControlBounds.IDLE_EVICTION.toMillis(), Integer.MAX_VALUE));
  }

  /**
   * A due flow-controlled message: it takes the key's config (unless pinned) and waits its turn —
   * or, when the partition already holds {@code maxWaiting} waiting messages (or {@code maxKeys}
   * busy keys), it is handed back.
   *
   * @return -1 when the lane took it; otherwise the time (epoch millis) at which to offer it again
   */
  public long offer(Message m) {
    long now = clock.millis();
    String id = id(m.tenant(), m.flowControl().key());
    FlowControlLane lane = lanes.get(id);
    if (lane == null) {
      if (lanes.size() >= bounds.maxKeys()) forgetIdle(now, 0, lanes.size() - bounds.maxKeys() + 1);
      if (lanes.size() >= bounds.maxKeys()) return now + MIN_DEFER_MILLIS;
      lane = lane(m.tenant(), m.flowControl().key());
    }
    lane.lastActive = now;
    lane.configure(m.flowControl());
    lane.waitlist.add(m);
    waiting++;
    waitingBytes += DeliveryPlane.heldBytes(m);
    pump(lane);
    boolean over =
        waiting > bounds.maxWaiting() || waitingBytes > bounds.maxWaitingBytes() && waiting > 1;
    if (over && lane.waitlist.peekLast() == m) {
      lane.waitlist.pollLast();
      waiting--;
      waitingBytes -= DeliveryPlane.heldBytes(m);
      return now + deferMillis(lane);
    }
    return -1;
  }

  /** Messages waiting in memory on this partition, all keys together. */
  public int waiting() {
    return waiting;
  }

  /** Keys tracked in memory on this partition. */
  public int keys() {
    return lanes.size();
  }

  /**
   * How long a handed-back message stays away: its place in the key's rate, or the least; paused
   * keys the most.
   */
  private long deferMillis(FlowControlLane lane) {
    long max = bounds.maxDefer().toMillis();
    long wait = lane.paused ? max : lane.estimatedWait(lane.waitlist.size());
    return Math.max(MIN_DEFER_MILLIS, Math.min(max, wait));
  }

  /**
   * Forgets up to {@code most} idle keys without operator settings that were not active for {@code
   * minIdle}.
   */
  private void forgetIdle(long now, long minIdle, int most) {
    int forgotten = 0;
    for (Iterator<FlowControlLane> it = lanes.values().iterator();
        it.hasNext() && forgotten < most; ) {
      FlowControlLane lane = it.next();
      if (lane.idle(now) && now - lane.lastActive >= minIdle && settings(lane).isDefault()) {
        it.remove();
        globallyBlocked.remove(lane);
        forgotten++;
      }
    }
  }

  /** The attempt of {@code m} (started by this) ended. */
  public void ended(Message m) {
    FlowControlLane lane = lanes.get(id(m.tenant(), m.flowControl().key()));
    global.release();
    if (lane == null) return;
    lane.ended();
    lane.lastActive = clock.millis();
    pump(lane);
  }

  /**
   * Settings an operator made before a restart (read from the store at start-up, before any
   * message).
   */
  public void restore(FlowControlSettings s) {
    FlowControlLane lane = lane(s.tenant(), s.key());
    lane.paused = s.paused();
    lane.pinnedParallelism = s.pinnedParallelism();
    if (s.pinnedParallelism()) lane.parallelismMax = s.parallelism();
    lane.pinnedRate = s.pinnedRate();
    if (s.pinnedRate()) {
      lane.rateMax = s.rate();
      lane.periodMillis = s.periodSeconds() * 1000;
    }
  }

  /**
   * Runs a management command; completes with the matching keys (empty: unknown key). A change of
   * pause or pins is stored (synced) before the future completes, so it survives a restart once
   * acknowledged.
   */
  public Future<List<FlowControlState>> command(String tenant, FlowControlCommand c) {
    long now = clock.millis();
    if (c.kind() == FlowControlCommand.Kind.LIST) {
      List<FlowControlState> out = new ArrayList<>();
      for (FlowControlLane lane : lanes.values()) {
        if (lane.tenant.equals(tenant) && (c.key() == null || lane.key.contains(c.key())))
          out.add(lane.state(now));
      }
      return Future.succeededFuture(out);
    }
    FlowControlLane lane = c.creates() ? lane(tenant, c.key()) : lanes.get(id(tenant, c.key()));
    if (lane == null) return Future.succeededFuture(List.of());
    FlowControlSettings before = settings(lane);
    switch (c.kind()) {
      case PAUSE -> lane.paused = true;
      case RESUME -> lane.paused = false;
      case PIN -> {
        if (c.parallelism() != null) {
          lane.parallelismMax = c.parallelism();
          lane.pinnedParallelism = true;
        }
        if (c.rate() != null || c.periodSeconds() != null) {
          if (c.rate() != null) lane.rateMax = c.rate();
          if (c.periodSeconds() != null) lane.periodMillis = c.periodSeconds() * 1000;
          lane.pinnedRate = true;
        }
        lane.periodStart = 0; // QStash: pinning resets the rate count and period
        lane.rateCount = 0;
      }
      case UNPIN -> { // the pinned values stay in force until a message brings other ones
        if (c.parallelism() != null) lane.pinnedParallelism = false;
        if (c.rate() != null) lane.pinnedRate = false;
      }
      case RESET_RATE, RESET -> lane.resetRate(now);
      default -> {}
    }
    pump(lane);
    FlowControlSettings after = settings(lane);
    Future<?> saved =
        after.equals(before)
            ? Future.succeededFuture()
            : after.isDefault() ? store.delete(tenant, lane.key) : store.put(after);
    return saved.map(v -> List.of(lane.state(clock.millis())));
  }

  private static FlowControlSettings settings(FlowControlLane lane) {
    return new FlowControlSettings(
        lane.tenant,
        lane.key,
        lane.paused,
        lane.pinnedParallelism,
        lane.pinnedParallelism ? lane.parallelismMax : 0,
        lane.pinnedRate,
        lane.pinnedRate ? lane.rateMax : 0,
        lane.pinnedRate ? lane.periodMillis / 1000 : 0);
  }

  private void pump(FlowControlLane lane) {
    while (!lane.paused && !lane.waitlist.isEmpty() && !lane.parallelismFull()) {
      long now = clock.millis();
      long wait = lane.rateWait(now);
      if (wait > 0) {
        if (lane.timerId < 0) {
          lane.timerId =
              vertx.setTimer(
                  wait,
                  t -> {
                    lane.timerId = -1;
                    pump(lane);
                  });
        }
        return;
      }
      if (!global.tryAcquire()) {
        globallyBlocked.add(lane);
        return;
      }
      Message m = lane.waitlist.poll();
      waiting--;
      waitingBytes -= DeliveryPlane.heldBytes(m);
      lane.started(now);
      starter.accept(m);
    }
  }

  private FlowControlLane lane(String tenant, String key) {
    return lanes.computeIfAbsent(id(tenant, key), k -> new FlowControlLane(tenant, key));
  }

  private static String id(String tenant, String key) {
    return tenant + '\0' + key;
  }
}
