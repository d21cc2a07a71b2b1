package dev.ferry.delivery;

import dev.ferry.model.FlowControlCommand;
import dev.ferry.model.FlowControlState;
import dev.ferry.model.FlowControlSettings;
import dev.ferry.model.Message;
import dev.ferry.store.FlowControlStore;
import io.vertx.core.Future;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The flow-control lanes of one delivery partition: every key hashed to it (see {@code DeliveryPlane}) is a
 * {@link FlowControlLane}; a due message waits in its key's waitlist until the key's parallelism, rate, pause and the
 * global cap let it start, then {@code starter} runs its attempt. Never rejects, never drops: a message leaves the
 * waitlist only to start. Lives on the partition's event loop; every method runs there.
 */
final class FlowControlLanes {
  private final Vertx vertx;
  private final Context context;
  private final Clock clock;
  private final GlobalParallelism global;
  private final Consumer<Message> starter;
  private final FlowControlStore store;
  private final Map<String, FlowControlLane> lanes = new LinkedHashMap<>();
  private final Set<FlowControlLane> globallyBlocked = new LinkedHashSet<>();

  FlowControlLanes(Vertx vertx, Context context, Clock clock, GlobalParallelism global, FlowControlStore store,
                   Consumer<Message> starter) {
    this.vertx = vertx;
    this.store = store;
    this.context = context;
    this.clock = clock;
    this.global = global;
    this.starter = starter;
    global.onCapacity(() -> context.runOnContext(v -> {
      List<FlowControlLane> blocked = new ArrayList<>(globallyBlocked);
      globallyBlocked.clear();
      blocked.forEach(this::pump);
    }));
  }

  /** A due flow-controlled message: it takes the key's config (unless pinned) and waits its turn. */
  void offer(Message m) {
    FlowControlLane lane = lane(m.tenant(), m.flowControl().key());
    lane.configure(m.flowControl());
    lane.waitlist.add(m);
    pump(lane);
  }

  /** The attempt of {@code m} (started by this) ended. */
  void ended(Message m) {
    FlowControlLane lane = lanes.get(id(m.tenant(), m.flowControl().key()));
    global.release();
    if (lane == null) return;
    lane.ended();
    pump(lane);
  }

  /** Settings an operator made before a restart (read from the store at start-up, before any message). */
  void restore(FlowControlSettings s) {
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
   * Runs a management command; completes with the matching keys (empty: unknown key). A change of pause or pins is
   * stored (synced) before the future completes, so it survives a restart once acknowledged.
   */
  Future<List<FlowControlState>> command(String tenant, FlowControlCommand c) {
    long now = clock.millis();
    if (c.kind() == FlowControlCommand.Kind.LIST) {
      List<FlowControlState> out = new ArrayList<>();
      for (FlowControlLane lane : lanes.values()) {
        if (lane.tenant.equals(tenant) && (c.key() == null || lane.key.contains(c.key()))) out.add(lane.state(now));
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
        lane.periodStart = 0;  // QStash: pinning resets the rate count and period
        lane.rateCount = 0;
      }
      case UNPIN -> {  // the pinned values stay in force until a message brings other ones
        if (c.parallelism() != null) lane.pinnedParallelism = false;
        if (c.rate() != null) lane.pinnedRate = false;
      }
      case RESET_RATE, RESET -> lane.resetRate(now);
      default -> { }
    }
    pump(lane);
    FlowControlSettings after = settings(lane);
    Future<?> saved = after.equals(before) ? Future.succeededFuture()
        : after.isDefault() ? store.delete(tenant, lane.key) : store.put(after);
    return saved.map(v -> List.of(lane.state(clock.millis())));
  }

  private static FlowControlSettings settings(FlowControlLane lane) {
    return new FlowControlSettings(lane.tenant, lane.key, lane.paused, lane.pinnedParallelism,
        lane.pinnedParallelism ? lane.parallelismMax : 0, lane.pinnedRate, lane.pinnedRate ? lane.rateMax : 0,
        lane.pinnedRate ? lane.periodMillis / 1000 : 0);
  }

  private void pump(FlowControlLane lane) {
    while (!lane.paused && !lane.waitlist.isEmpty() && !lane.parallelismFull()) {
      long now = clock.millis();
      long wait = lane.rateWait(now);
      if (wait > 0) {
        if (lane.timerId < 0) {
          lane.timerId = vertx.setTimer(wait, t -> {
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
