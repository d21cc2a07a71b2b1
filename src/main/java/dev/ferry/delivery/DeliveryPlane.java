package dev.ferry.delivery;

import dev.ferry.delivery.hosts.HostShares;
import dev.ferry.model.DueEntry;
import dev.ferry.model.FlowControlCommand;
import dev.ferry.model.FlowControlSettings;
import dev.ferry.model.FlowControlState;
import dev.ferry.model.Message;
import dev.ferry.model.StoreCopies;
import dev.ferry.store.PartitionOwnership;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The front door of delivery: routes stored messages to their partition — unqueued ones by message
 * id (so duplicate nudges meet on one event loop), queued ones by queue, so each queue's order and
 * parallelism live on one thread — and hands future ones to the scheduler.
 *
 * <p>It also bounds how many unqueued messages delivery holds in memory ({@code limit}): past that,
 * due messages stay compact entries in the scheduler (and rows in the store) until attempts finish
 * and {@link #finished} wakes it. Without the bound, a large backlog falling due at once would sit
 * as full message objects in memory, which costs heap and, worse, long young-generation
 * collections. The bound is counted in messages ({@code limit}) and in bytes ({@code byteBudget},
 * see {@link #heldBytes}): ten thousand 1 MB bodies would not fit a small heap. Thread-safe.
 */
public final class DeliveryPlane {
  /**
   * What a message costs in memory besides its body (object, id, headers): a rough, deliberately
   * high allowance.
   */
  static final long MESSAGE_OVERHEAD_BYTES = 1024;

  private final List<DeliveryVerticle> partitions;
  private final DeliveryVerticle.Later later;
  private final Clock clock;
  private final int limit;
  private final long byteBudget;
  private final HostShares shares;
  private final AtomicInteger outstanding = new AtomicInteger();
  private final AtomicLong outstandingBytes = new AtomicLong();

  /**
   * Recent average of {@link #heldBytes}, to turn free bytes into a number of messages the
   * scheduler may load.
   */
  private final AtomicLong averageBytes = new AtomicLong(MESSAGE_OVERHEAD_BYTES);

  private final Runnable wake;
  private final PartitionOwnership ownership;

  /**
   * Builds the plane and its {@code partitions} partitions, each made by {@code partition} from the
   * callback that tells this plane a message is finished. {@code later} takes what is not due yet
   * (the scheduler); {@code wake} is run (on any thread) when capacity frees up after having run
   * out; {@code shares}: the partitions' host shares, to tag what goes to the scheduler with its
   * host.
   */
  public DeliveryPlane(
      int partitions,
      Function<Consumer<Message>, DeliveryVerticle> partition,
      DeliveryVerticle.Later later,
      Runnable wake,
      int limit,
      long byteBudget,
      HostShares shares,
      Clock clock,
      PartitionOwnership ownership) {
    this.ownership = ownership;
    this.later = later;
    this.wake = wake;
    this.limit = limit;
    this.byteBudget = byteBudget;
    this.shares = shares;
    this.clock = clock;
    List<DeliveryVerticle> built = new ArrayList<>(partitions);
    for (int i = 0; i < partitions; i++) built.add(partition.apply(this::finished));
    this.partitions = List.copyOf(built);
  }

  /** The partitions, to deploy each on its own event loop. */
  public List<DeliveryVerticle> partitions() {
    return partitions;
  }

  /** What holding {@code m} costs, as counted against the byte budgets of delivery. */
  public static long heldBytes(Message m) {
    return m.body().length + MESSAGE_OVERHEAD_BYTES;
  }

  /**
   * How many more unqueued messages delivery takes now: what the count allows, and what the free
   * bytes allow at the recent average size (at least one while any byte is free, so one large
   * message is never stuck).
   */
  public int capacity() {
    int byCount = Math.max(0, limit - outstanding.get());
    long freeBytes = byteBudget - outstandingBytes.get();
    if (freeBytes <= 0) return 0;
    long byBytes = Math.max(1, freeBytes / Math.max(1, averageBytes.get()));
    return (int) Math.min(byCount, byBytes);
  }

  /**
   * Newly stored messages (the ingest nudge). Those another process owns are left to it (the
   * backend's nudges tell it).
   */
  public void stored(List<Message> stored) {
    long now = clock.millis();
    List<List<Message>> due = perPartition();
    List<DueEntry> future = new ArrayList<>();
    Set<String> nudgedQueues = new LinkedHashSet<>();
    int admitted = 0;
    long admittedBytes = 0;
    int room = Math.max(0, limit - outstanding.get());
    long freeBytes = byteBudget - outstandingBytes.get();
    for (Message m : stored) {
      if (!Attempts.owns(ownership, m)) continue;
      long size = heldBytes(m);
      if (!m.queued()) observe(size);
      if (m.queued()) {
        if (nudgedQueues.add(m.tenant() + '\0' + m.queueName())) {
          queuePartition(m.tenant(), m.queueName()).queueNudged(m.tenant(), m.queueName());
        }
      } else if (m.dueAt() <= now && admitted < room && admittedBytes + size <= freeBytes) {
        due.get(partitionOf(m)).add(m);
        admitted++;
        admittedBytes += size;
      } else {
        future.add(
            shares.dueEntry(
                m, m.dueAt())); // later, or now but delivery is full: the scheduler holds it
      }
    }
    if (!future.isEmpty()) later.at(future);
    outstanding.addAndGet(admitted);
    outstandingBytes.addAndGet(admittedBytes);
    deliver(due, System.nanoTime()); // just stored: no attempt of them can have ended
  }

  /** Unqueued messages the scheduler found due (it asked {@link #capacity()} first). */
  public void due(StoreCopies copies) {
    List<Message> messages = copies.messages();
    List<List<Message>> due = perPartition();
    long bytes = 0;
    for (Message m : messages) {
      due.get(partitionOf(m)).add(m);
      bytes += heldBytes(m);
      observe(heldBytes(m));
    }
    outstanding.addAndGet(messages.size());
    outstandingBytes.addAndGet(bytes);
    deliver(due, copies.readNanos());
  }

  /**
   * Parked messages whose hosts' slots passed to them ({@link HostShares}); they count against the
   * bound again, like any message delivery holds.
   */
  public void resume(StoreCopies copies) {
    List<Message> messages = copies.messages();
    List<List<Message>> held = perPartition();
    messages.forEach(m -> held.get(partitionOf(m)).add(m));
    outstanding.addAndGet(messages.size());
    outstandingBytes.addAndGet(messages.stream().mapToLong(DeliveryPlane::heldBytes).sum());
    for (int i = 0; i < held.size(); i++) {
      if (!held.get(i).isEmpty())
        partitions.get(i).deliverHeld(new StoreCopies(held.get(i), copies.readNanos()));
    }
  }

  /**
   * A partition is done with the unqueued message {@code m} (finished, or handed back to the
   * scheduler).
   */
  public void finished(Message m) {
    long size = heldBytes(m);
    int now = outstanding.decrementAndGet();
    long nowBytes = outstandingBytes.addAndGet(-size);
    boolean countCrossedHalf = now <= limit / 2 && now + 1 > limit / 2;
    boolean bytesCrossedHalf = nowBytes <= byteBudget / 2 && nowBytes + size > byteBudget / 2;
    if (countCrossedHalf || bytesCrossedHalf) wake.run();
  }

  /** Bytes of the unqueued messages delivery holds now (tests, metrics). */
  public long outstandingBytes() {
    return outstandingBytes.get();
  }

  private void observe(long size) {
    averageBytes.getAndUpdate(
        avg -> avg + (size - avg) / 8); // a moving average over the last few messages
  }

  public void queueChanged(String tenant, String queue) {
    queuePartition(tenant, queue).queueChanged(tenant, queue);
  }

  /** Messages were stored in the queue by another process (this one owns the queue, or not). */
  public void queueNudged(String tenant, String queue) {
    queuePartition(tenant, queue).queueNudged(tenant, queue);
  }

  private void deliver(List<List<Message>> due, long readNanos) {
    for (int i = 0; i < due.size(); i++) {
      if (!due.get(i).isEmpty()) partitions.get(i).deliver(new StoreCopies(due.get(i), readNanos));
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
      return partitions
          .get(partitionOf(flowControlRoute(tenant, command.key())))
          .flowControl(tenant, command);
    }
    List<Future<List<FlowControlState>>> all = new ArrayList<>();
    partitions.forEach(p -> all.add(p.flowControl(tenant, command)));
    return Future.all(all)
        .map(
            v -> {
              List<FlowControlState> out = new ArrayList<>();
              all.forEach(f -> out.addAll(f.result()));
              out.sort(java.util.Comparator.comparing(FlowControlState::key));
              return out;
            });
  }

  /**
   * Operator settings of flow-control keys read from the store at start-up; each goes to the key's
   * partition.
   */
  public void restoreFlowControl(List<FlowControlSettings> settings) {
    List<List<FlowControlSettings>> per = new ArrayList<>();
    for (int i = 0; i < partitions.size(); i++) per.add(new ArrayList<>());
    settings.forEach(s -> per.get(partitionOf(flowControlRoute(s.tenant(), s.key()))).add(s));
    for (int i = 0; i < per.size(); i++) {
      if (!per.get(i).isEmpty()) partitions.get(i).restoreFlowControl(per.get(i));
    }
  }

  /**
   * Unqueued messages by id (duplicate nudges meet), flow-controlled ones by key (the key's lane
   * lives there).
   */
  private int partitionOf(Message m) {
    return partitionOf(
        m.flowControl() == null ? m.id() : flowControlRoute(m.tenant(), m.flowControl().key()));
  }

  private static String flowControlRoute(String tenant, String key) {
    return tenant + "\0fc\0" + key;
  }

  private int partitionOf(String key) {
    return Math.floorMod(key.hashCode(), partitions.size());
  }
}
