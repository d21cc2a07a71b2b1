package dev.ferry.delivery;

import dev.ferry.model.DueEntry;
import dev.ferry.model.FlowControlCommand;
import dev.ferry.model.FlowControlSettings;
import dev.ferry.model.FlowControlState;
import dev.ferry.model.Message;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The front door of delivery: routes stored messages to their partition — unqueued ones by message id (so duplicate
 * nudges meet on one event loop), queued ones by queue, so each queue's order and parallelism live on one thread —
 * and hands future ones to the scheduler.
 *
 * <p>It also bounds how many unqueued messages delivery holds in memory ({@code limit}): past that, due messages stay
 * compact entries in the scheduler (and rows in the store) until attempts finish and {@link #finished} wakes it.
 * Without the bound, a large backlog falling due at once would sit as full message objects in memory, which costs
 * heap and, worse, long young-generation collections. Thread-safe.
 */
public final class DeliveryPlane {
  private final List<DeliveryVerticle> partitions;
  private final DeliveryVerticle.Later later;
  private final Clock clock;
  private final int limit;
  private final AtomicInteger outstanding = new AtomicInteger();
  private volatile Runnable wake = () -> {};

  public DeliveryPlane(List<DeliveryVerticle> partitions, DeliveryVerticle.Later later, int limit, Clock clock) {
    this.partitions = List.copyOf(partitions);
    this.later = later;
    this.limit = limit;
    this.clock = clock;
  }

  /** Called (on any thread) when capacity frees up after having run out; the scheduler registers itself here. */
  public void onCapacity(Runnable wake) {
    this.wake = wake;
  }

  /** How many more unqueued messages delivery takes now. */
  public int capacity() {
    return Math.max(0, limit - outstanding.get());
  }

  /** Newly stored messages (the ingest nudge). */
  public void stored(List<Message> stored) {
    long now = clock.millis();
    List<List<Message>> due = perPartition();
    List<DueEntry> future = new ArrayList<>();
    Set<String> nudgedQueues = new LinkedHashSet<>();
    int admitted = 0;
    int room = capacity();
    for (Message m : stored) {
      if (m.queued()) {
        if (nudgedQueues.add(m.tenant() + '\0' + m.queueName())) {
          queuePartition(m.tenant(), m.queueName()).queueNudged(m.tenant(), m.queueName());
        }
      } else if (m.dueAt() <= now && admitted < room) {
        due.get(partitionOf(m)).add(m);
        admitted++;
      } else {
        future.add(new DueEntry(m.dueAt(), m.id()));  // later, or now but delivery is full: the scheduler holds it
      }
    }
    if (!future.isEmpty()) later.at(future);
    outstanding.addAndGet(admitted);
    deliver(due);
  }

  /** Unqueued messages the scheduler found due (it asked {@link #capacity()} first). */
  public void due(List<Message> messages) {
    List<List<Message>> due = perPartition();
    messages.forEach(m -> due.get(partitionOf(m)).add(m));
    outstanding.addAndGet(messages.size());
    deliver(due);
  }

  /**
   * Parked messages whose hosts' slots passed to them ({@link HostShares}); they count against the bound again, like
   * any message delivery holds.
   */
  public void resume(List<Message> messages) {
    List<List<Message>> held = perPartition();
    messages.forEach(m -> held.get(partitionOf(m)).add(m));
    outstanding.addAndGet(messages.size());
    for (int i = 0; i < held.size(); i++) {
      if (!held.get(i).isEmpty()) partitions.get(i).deliverHeld(held.get(i));
    }
  }

  /** A partition is done with {@code count} unqueued messages (finished, or handed back to the scheduler). */
  public void finished(int count) {
    int now = outstanding.addAndGet(-count);
    if (now <= limit / 2 && now + count > limit / 2) wake.run();
  }

  public void queueChanged(String tenant, String queue) {
    queuePartition(tenant, queue).queueChanged(tenant, queue);
  }

  private void deliver(List<List<Message>> due) {
    for (int i = 0; i < due.size(); i++) {
      if (!due.get(i).isEmpty()) partitions.get(i).deliver(due.get(i));
    }
  }

  private List<List<Message>> perPartition() {
    List<List<Message>> lists = new ArrayList<>(partitions.size());
    for (int i = 0; i < partitions.size(); i++) lists.add(new ArrayList<>());
    return lists;
  }

  private DeliveryVerticle queuePartition(String tenant, String queue) {
    return partitions.get(partitionOf(tenant + '\0' + queue));
  }

  /** Runs a flow-control command on the partition owning the key, or (LIST) on every partition. */
  public Future<List<FlowControlState>> flowControl(String tenant, FlowControlCommand command) {
    if (command.kind() != FlowControlCommand.Kind.LIST) {
      return partitions.get(partitionOf(flowControlRoute(tenant, command.key()))).flowControl(tenant, command);
    }
    List<Future<List<FlowControlState>>> all = new ArrayList<>();
    partitions.forEach(p -> all.add(p.flowControl(tenant, command)));
    return Future.all(all).map(v -> {
      List<FlowControlState> out = new ArrayList<>();
      all.forEach(f -> out.addAll(f.result()));
      out.sort(java.util.Comparator.comparing(FlowControlState::key));
      return out;
    });
  }

  /** Operator settings of flow-control keys read from the store at start-up; each goes to the key's partition. */
  public void restoreFlowControl(List<FlowControlSettings> settings) {
    List<List<FlowControlSettings>> per = new ArrayList<>();
    for (int i = 0; i < partitions.size(); i++) per.add(new ArrayList<>());
    settings.forEach(s -> per.get(partitionOf(flowControlRoute(s.tenant(), s.key()))).add(s));
    for (int i = 0; i < per.size(); i++) {
      if (!per.get(i).isEmpty()) partitions.get(i).restoreFlowControl(per.get(i));
    }
  }

  /** Unqueued messages by id (duplicate nudges meet), flow-controlled ones by key (the key's lane lives there). */
  private int partitionOf(Message m) {
    return partitionOf(m.flowControl() == null ? m.id() : flowControlRoute(m.tenant(), m.flowControl().key()));
  }

  private static String flowControlRoute(String tenant, String key) {
    return tenant + "\0fc\0" + key;
  }

  private int partitionOf(String key) {
    return Math.floorMod(key.hashCode(), partitions.size());
  }
}
