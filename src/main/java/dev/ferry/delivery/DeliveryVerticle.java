package dev.ferry.delivery;

import dev.ferry.delivery.callback.Callbacks;
import dev.ferry.delivery.flow.FlowControlBounds;
import dev.ferry.delivery.flow.FlowControlLanes;
import dev.ferry.delivery.flow.GlobalParallelism;
import dev.ferry.delivery.hosts.HostShares;
import dev.ferry.model.DueEntry;
import dev.ferry.model.FlowControlCommand;
import dev.ferry.model.FlowControlSettings;
import dev.ferry.model.FlowControlState;
import dev.ferry.model.Message;
import dev.ferry.model.StoreCopies;
import dev.ferry.store.FlowControlStore;
import dev.ferry.store.MessageStore;
import dev.ferry.store.PartitionOwnership;
import dev.ferry.store.QueueStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One delivery partition, on its own event loop: delivers the due unqueued messages routed to it
 * (in parallel, at most {@code maxInFlight} at a time) and owns the dispatchers of the queues
 * hashed to it. Public methods may be called from any thread; they hop onto this verticle's
 * context.
 */
public final class DeliveryVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryVerticle.class);

  private final MessageStore messages;
  private final Endings endings;
  private final QueueStore queues;
  private final Callbacks callbacks;
  private final Deliverer deliverer;
  private final DeliveryEvents events;
  private final Transitions transitions;
  private Attempts attempts;
  private final Later later;
  private final Consumer<Message> finished;
  private final int maxInFlight;
  private final Clock clock;
  private final GlobalParallelism global;
  private final FlowControlStore flowControlStore;
  private final HostShares shares;
  private final DeliveryDrain drain;
  private FlowControlLanes lanes;
  private final FlowControlBounds flowControlBounds;
  private final PartitionOwnership ownership;

  private final Set<String> inFlight = new HashSet<>();
  private final Set<String> waitingIds = new HashSet<>();
  private final ArrayDeque<Message> waiting = new ArrayDeque<>();
  private final RecentEnds ends = new RecentEnds();
  private final Map<String, QueueDispatcher> dispatchers = new HashMap<>();

  /**
   * Where messages go whose next attempt is in the future (the scheduler, wired in {@code Ferry}).
   */
  @FunctionalInterface
  public interface Later {
    void at(List<DueEntry> entries);
  }

  /**
   * What every partition shares, built once by the wiring. {@code later} takes messages whose next
   * attempt is in the future; {@code events} hears of every attempt (metrics, the failed-attempt
   * log); {@code callbacks} stores each attempt's callback messages; flow-controlled messages also
   * count against {@code global}, and operators' settings of flow-control keys are kept in {@code
   * flowControlStore}; {@code transitions} is told of every transition (the message log) and asked
   * before every attempt whether its message was cancelled; {@code flowControlBounds} caps the
   * flow-control messages and keys a partition holds in memory; no destination host holds more than
   * its share of the slots ({@code shares}), and no attempt starts once {@code drain} stops
   * delivery for a shutdown, nor of a message or queue another process owns ({@code ownership}).
   */
  public record Collaborators(
      MessageStore messages,
      QueueStore queues,
      Deliverer deliverer,
      Later later,
      int maxInFlight,
      Clock clock,
      DeliveryEvents events,
      Callbacks callbacks,
      GlobalParallelism global,
      FlowControlStore flowControlStore,
      Transitions transitions,
      FlowControlBounds flowControlBounds,
      HostShares shares,
      DeliveryDrain drain,
      PartitionOwnership ownership,
      Endings endings) {}

  /**
   * @param finished told of each unqueued message this partition is done with (delivered, failed,
   *     or handed back to the scheduler for a later retry), so the plane can let more in
   */
  public DeliveryVerticle(Collaborators c, Consumer<Message> finished) {
    this.flowControlBounds = c.flowControlBounds();
    this.ownership = c.ownership();
    this.shares = c.shares();
    this.drain = c.drain();
    this.global = c.global();
    this.flowControlStore = c.flowControlStore();
    this.messages = c.messages();
    this.endings = c.endings();
    this.queues = c.queues();
    this.callbacks = c.callbacks();
    this.deliverer = c.deliverer();
    this.events = c.events();
    this.transitions = c.transitions();
    this.later = c.later();
    this.finished = finished;
    this.maxInFlight = c.maxInFlight();
    this.clock = c.clock();
  }

  @Override
  public Future<?> start() {
    lanes =
        new FlowControlLanes(
            vertx,
            context,
            clock,
            global,
            flowControlStore != null ? flowControlStore : FlowControlStore.NONE,
            this::startFromLane,
            flowControlBounds);
    // Built here, not in the constructor: the batch of delivered messages needs this verticle's
    // context.
    attempts =
        new Attempts(
            deliverer,
            new Outcomes(
                messages,
                endings,
                callbacks,
                new DeliveredBatch(messages, context),
                clock,
                transitions),
            events,
            callbacks,
            transitions,
            drain,
            ownership);
    return Future.succeededFuture();
  }

  /**
   * Runs a flow-control management command for a key owned by this partition (or, LIST, for all its
   * keys).
   */
  public Future<List<FlowControlState>> flowControl(String tenant, FlowControlCommand command) {
    Promise<List<FlowControlState>> result = Promise.promise();
    context.runOnContext(
        v -> {
          try {
            lanes.command(tenant, command).onComplete(result);
          } catch (RuntimeException e) {
            result.fail(e);
          }
        });
    return result.future();
  }

  /** Operator settings of flow-control keys owned by this partition, as stored before a restart. */
  public void restoreFlowControl(List<FlowControlSettings> settings) {
    context.runOnContext(v -> settings.forEach(lanes::restore));
  }

  /** Unqueued messages that are due now. */
  public void deliver(StoreCopies due) {
    context.runOnContext(v -> due.messages().forEach(m -> admit(m, false, due.readNanos())));
  }

  /**
   * Parked messages whose hosts' slots were passed on to them ({@link HostShares}): they hold the
   * slots already.
   */
  public void deliverHeld(StoreCopies held) {
    context.runOnContext(v -> held.messages().forEach(m -> admit(m, true, held.readNanos())));
  }

  /** Messages were stored in this queue. */
  public void queueNudged(String tenant, String queue) {
    context.runOnContext(v -> dispatcher(tenant, queue).ifPresent(QueueDispatcher::nudged));
  }

  /** The queue's definition changed (or Ferry started and the queue may hold messages). */
  public void queueChanged(String tenant, String queue) {
    context.runOnContext(v -> dispatcher(tenant, queue).ifPresent(QueueDispatcher::configChanged));
  }

  /**
   * Partitions moved away: drops the copies of messages this process no longer owns that wait for a
   * slot, and stops the dispatchers of queues it no longer owns (their attempts in flight end;
   * retries waiting in memory are forgotten, the new owner reads them from the store).
   */
  public void dropNotOwned() {
    context.runOnContext(
        v -> {
          int dropped = 0;
          for (java.util.Iterator<Message> it = waiting.iterator(); it.hasNext(); ) {
            Message m = it.next();
            if (Attempts.owns(ownership, m)) continue;
            it.remove();
            waitingIds.remove(m.id());
            done(m);
            dropped++;
          }
          if (dropped > 0)
            LOG.info("{} waiting messages left to the replicas that own them", dropped);
          dispatchers.values().forEach(QueueDispatcher::releaseIfNotOwned);
        });
  }

  /**
   * The queue's dispatcher, made when this process owns the queue; an existing one is kept while
   * not owned (it knows the attempts it still has in flight).
   */
  private Optional<QueueDispatcher> dispatcher(String tenant, String queue) {
    String key = tenant + '\0' + queue;
    QueueDispatcher existing = dispatchers.get(key);
    if (existing != null) return Optional.of(existing);
    if (!ownership.ownsQueue(tenant, queue)) return Optional.empty();
    QueueDispatcher d =
        new QueueDispatcher(
            tenant, queue, vertx, messages, queues, attempts, callbacks, clock, ownership);
    d.onGone(() -> dispatchers.remove(key, d));
    dispatchers.put(
        key, d); // before configChanged: its answer may come at once and find the queue deleted
    d.configChanged();
    return Optional.of(d);
  }

  /** {@code readNanos}: the copy {@code m} shows the store as of then or later. */
  private void admit(Message m, boolean holdsHostSlot, long readNanos) {
    boolean flowControlled = m.flowControl() != null;
    // A key's waitlist may be long (a low rate): it is not held against the plane's bound, or one
    // slow key would keep every other message out. Its messages are released from that bound on
    // arrival.
    if (flowControlled) finished.accept(m);
    if (inFlight.contains(m.id())
        || waitingIds.contains(m.id()) // a duplicate nudge or horizon row
        || !Attempts.owns(ownership, m)) { // another process delivers it
      notAdmitted(m, holdsHostSlot);
      return;
    }
    RecentEnds.Verdict copy = ends.copyRead(m.id(), readNanos);
    if (copy != RecentEnds.Verdict.FRESH) {
      if (copy == RecentEnds.Verdict.UNKNOWN) {
        later.at(List.of(shares.dueEntry(m, clock.millis()))); // too old to judge: read it again
      }
      notAdmitted(m, holdsHostSlot);
      return;
    }
    if (flowControlled) {
      offerToLane(m);
      return;
    }
    if (!holdsHostSlot && shares.counts(m) && !shares.acquire(m)) {
      // parked: its host holds its share; it leaves the plane's bound until a slot passes to it
      finished.accept(m);
      return;
    }
    if (inFlight.size() < maxInFlight) {
      start(m);
    } else {
      waiting.add(m);
      waitingIds.add(m.id());
    }
  }

  /** {@code m} starts nothing here: it leaves the plane's bound and gives back its host slot. */
  private void notAdmitted(Message m, boolean holdsHostSlot) {
    if (m.flowControl() == null) finished.accept(m);
    if (holdsHostSlot) shares.release(HostShares.hostOf(m.url()));
  }

  /**
   * Into its key's lane, or, when the lanes hold all they may, back to the scheduler (its row stays
   * stored).
   */
  private void offerToLane(Message m) {
    waitingIds.add(m.id());
    long offerAgainAt = lanes.offer(m);
    if (offerAgainAt >= 0) {
      waitingIds.remove(m.id());
      later.at(List.of(new DueEntry(offerAgainAt, m.id())));
    }
  }

  /** Flow-controlled messages waiting in memory on this partition (tests). */
  int flowControlWaiting() {
    return lanes.waiting();
  }

  /** A flow-control lane lets {@code m} start. */
  private void startFromLane(Message m) {
    waitingIds.remove(m.id());
    start(m);
  }

  private void start(Message m) {
    inFlight.add(m.id());
    attempts
        .run(m)
        .onComplete(
            ar -> {
              ends.ended(m.id(), System.nanoTime());
              inFlight.remove(m.id());
              if (m.flowControl() != null) lanes.ended(m);
              if (ar.failed()) {
                LOG.error(
                    "message {}: recording its outcome failed; it stays pending and is tried again in 1s",
                    m.id(),
                    ar.cause());
                later.at(List.of(shares.dueEntry(m, clock.millis() + 1000)));
                done(m);
              } else if (ar.result().isPresent()) {
                retry(ar.result().get());
              } else {
                done(m);
              }
              next();
            });
  }

  /**
   * The plane's bound no longer holds {@code m} (flow-controlled messages were released on
   * arrival).
   */
  private void done(Message m) {
    if (m.flowControl() != null) return;
    finished.accept(m);
    if (shares.counts(m)) shares.release(HostShares.hostOf(m.url()));
  }

  private void retry(Message m) {
    if (m.dueAt() > clock.millis()) {
      later.at(List.of(shares.dueEntry(m, m.dueAt())));
      done(m);
    } else if (m.flowControl() != null) {
      offerToLane(m); // every attempt goes through the key's limits
    } else {
      start(m); // still counted as outstanding: it never left
    }
  }

  private void next() {
    while (inFlight.size() < maxInFlight && !waiting.isEmpty()) {
      Message m = waiting.poll();
      waitingIds.remove(m.id());
      start(m);
    }
  }

  /** For tests and metrics: attempts running now plus messages waiting for a slot. */
  int load() {
    return inFlight.size() + waiting.size();
  }

  Optional<QueueDispatcher> dispatcherOf(String tenant, String queue) {
    return Optional.ofNullable(dispatchers.get(tenant + '\0' + queue));
  }
}
