package dev.ferry.schedule;

import dev.ferry.model.DueEntry;
import dev.ferry.model.Message;
import dev.ferry.model.StoreCopies;
import dev.ferry.store.MessageStore;
import dev.ferry.store.PartitionOwnership;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes unqueued messages due on time. The store's due index is the record; this verticle keeps
 * only the near horizon ({@code now + horizon}) in a compact {@link DueIndex} and arms one timer
 * for its earliest entry. The horizon moves forward periodically by scanning the store. An entry is
 * checked against the stored message when it fires (still pending, not rescheduled to a later
 * time), so stale or duplicate entries are harmless.
 *
 * <p>The in-memory index holds the earliest {@code maxInMemory} entries (large bounds may run an
 * eighth over between trims): past that (a large backlog, delivery full), the latest entries are
 * left to the store and the earliest one left out is remembered; once the index has drained to
 * half, the store is scanned again from there. Nothing is lost, only read back later, and nothing
 * due sooner waits behind what is due later.
 *
 * <p>An entry that carries its destination host is first offered to {@link
 * Delivery#parkWhenHostFull}: a host that holds its share of delivery's slots takes it parked,
 * unread, and it is read once, when a slot passes to it.
 */
public final class SchedulerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerVerticle.class);
  private static final int SCAN_PAGE = 10_000;
  private static final int FIRE_BATCH = 2_000;

  /**
   * Distinct host names kept to share one string per host among index entries; past it, sharing
   * starts over.
   */
  private static final int MAX_HOST_NAMES = 10_000;

  /**
   * Entries this close to due are read from the store ahead of time and held (see {@link Staged}).
   */
  private static final long PREFETCH_MILLIS = 25;

  /**
   * How often a shared store is read for due rows whose nudge was lost (the horizon is minutes).
   */
  static final long UNANNOUNCED_SCAN_MILLIS = 5_000;

  private final MessageStore messages;
  private final PartitionOwnership ownership;
  private Delivery delivery;
  private final Duration horizon;
  private final Clock clock;
  private final int maxInMemory;

  /**
   * Earliest due time left out of the full index (Long.MAX_VALUE: none); the store is scanned again
   * from it.
   */
  private long leftOutFrom = Long.MAX_VALUE;

  private boolean reloading;

  private final DueIndex index = new DueIndex();

  /**
   * The index's size once each change has settled, for readers on other threads: an add to a full
   * index runs one over its bound until the trim right after it, and {@link DueIndex} is not
   * thread-safe.
   */
  private volatile int settledSize;

  private Staged staged;
  private long horizonEnd;
  private long timerId = -1;
  private long timerDue = Long.MAX_VALUE;
  private boolean firing;
  private boolean starved;
  private final Map<String, String> hostNames = new HashMap<>();

  /**
   * Where due messages go: delivery, built after the scheduler because delivery hands its retries
   * back here.
   *
   * @param due takes the due messages
   * @param capacity how many messages {@code due} takes now; when it is 0, due entries wait here
   *     until {@link #wake()} is called
   * @param parkWhenHostFull where a due entry with a host goes first: true when the host holds its
   *     share of delivery's slots and has taken the entry parked (then it is not read here)
   */
  public record Delivery(
      Consumer<StoreCopies> due, IntSupplier capacity, Predicate<DueEntry> parkWhenHostFull) {}

  /**
   * Keeps at most {@code maxInMemory} due entries in memory; {@link #deliverTo} must be called
   * before deploying.
   */
  public SchedulerVerticle(MessageStore messages, Duration horizon, Clock clock, int maxInMemory) {
    this(messages, horizon, clock, maxInMemory, PartitionOwnership.everything());
  }

  /**
   * Fires only messages this process owns ({@code ownership}); scans the store again when it gains
   * partitions.
   */
  public SchedulerVerticle(
      MessageStore messages,
      Duration horizon,
      Clock clock,
      int maxInMemory,
      PartitionOwnership ownership) {
    this.ownership = ownership;
    this.maxInMemory = maxInMemory;
    this.messages = messages;
    this.horizon = horizon;
    this.clock = clock;
  }

  /**
   * Connects the scheduler to delivery, once, before it is deployed: the one edge of the
   * scheduler/delivery cycle that is bound after construction.
   */
  public void deliverTo(Delivery delivery) {
    if (this.delivery != null)
      throw new IllegalStateException("the scheduler is already connected to delivery");
    this.delivery = Objects.requireNonNull(delivery);
  }

  @Override
  public Future<?> start() {
    if (delivery == null)
      return Future.failedFuture(new IllegalStateException("deliverTo was not called"));
    staged = new Staged(vertx, clock, delivery.due());
    horizonEnd = clock.millis() + horizon.toMillis();
    long period = Math.max(1000, horizon.toMillis() / 2);
    ownership.listen(new Rescan());
    return load(0, "", horizonEnd)
        .onSuccess(
            v -> {
              vertx.setPeriodic(period, t -> advance());
              if (ownership.shared())
                vertx.setPeriodic(UNANNOUNCED_SCAN_MILLIS, t -> lookForUnannounced());
              arm();
            });
  }

  /** These messages' next attempts are due at the given times; thread-safe. */
  public void schedule(List<DueEntry> entries) {
    context.runOnContext(
        v -> {
          for (DueEntry e : entries) {
            if (e.dueAt() <= horizonEnd) add(e.dueAt(), e.messageId(), e.host());
            // beyond the horizon: the store has it and the horizon scan will bring it in
          }
          arm();
        });
  }

  /** Delivery has room again; thread-safe. */
  public void wake() {
    context.runOnContext(
        v -> {
          if (starved) {
            starved = false;
            fire();
          }
        });
  }

  /**
   * How many entries are in memory (tests, metrics); any thread may read it (the value may be a
   * moment old).
   */
  public int inMemory() {
    return settledSize;
  }

  /**
   * Into the index, or left to the store (remembered). A full index still takes an entry due before
   * everything left out so far, and then drops its latest entries back to the store (in bulk, once
   * it is an eighth over its bound, so the cost stays linear overall): leaving out the new entry
   * instead would hold a message due in seconds behind a million due in minutes, until half of
   * those had fired.
   */
  private void add(long dueAt, String id, String host) {
    if (index.size() >= maxInMemory && dueAt >= leftOutFrom)
      return; // read back in due order with the rest
    index.add(dueAt, id, host == null ? null : sharedName(host));
    if (index.size() > maxInMemory + trimSlack()) {
      leftOutFrom = Math.min(leftOutFrom, index.trimTo(maxInMemory));
    }
    settledSize = index.size();
  }

  private String sharedName(String host) {
    if (hostNames.size() >= MAX_HOST_NAMES) hostNames.clear();
    String shared = hostNames.putIfAbsent(host, host);
    return shared != null ? shared : host;
  }

  /** Small bounds are kept exactly; large ones may run an eighth over between trims. */
  private int trimSlack() {
    return maxInMemory >= 1024 ? maxInMemory / 8 : 0;
  }

  /** Reads back from the store what a full index left out, once the index has drained to half. */
  private void reloadLeftOut() {
    if (leftOutFrom == Long.MAX_VALUE || reloading || index.size() > maxInMemory / 2) return;
    long from = leftOutFrom;
    leftOutFrom = Long.MAX_VALUE;
    reloading = true;
    // rows at exactly `from` are included: the cursor is just before them; rows still indexed come
    // back as duplicates
    load(from - 1, "\uffff", horizonEnd)
        .onComplete(
            ar -> {
              reloading = false;
              if (ar.failed()) {
                LOG.error(
                    "cannot read due messages back from the store; trying again later", ar.cause());
                leftOutFrom = Math.min(leftOutFrom, from);
              }
              arm();
            });
  }

  private void advance() {
    long from = horizonEnd;
    long now = clock.millis();
    horizonEnd = now + horizon.toMillis(); // first, so schedule() keeps what the scan may miss
    load(from, "\uffff", horizonEnd).onSuccess(v -> arm());
  }

  /**
   * A message stored by another process is announced here by a nudge only; if that was lost, its
   * row is due by now and nothing here knows it: look for due rows once nothing known is. Every
   * {@link #UNANNOUNCED_SCAN_MILLIS} while ownership is shared.
   */
  private void lookForUnannounced() {
    long now = clock.millis();
    if (!starved && (index.isEmpty() || index.peekDue() > now)) {
      load(0, "", now).onSuccess(v -> arm());
    }
  }

  /** Partitions gained: their due rows are read in; those lost leave the index as they fire. */
  private final class Rescan implements PartitionOwnership.Listener {
    @Override
    public void gained() {
      context.runOnContext(
          v -> {
            rescan();
            // other processes may still announce the gained work to its previous owner for a
            // while: rows stored meanwhile are found by a second look, not by the slow safety scan
            long settle = ownership.settleMillis();
            if (settle > 0) vertx.setTimer(settle, t -> rescan());
          });
    }

    /** Reads every due row of the owned partitions up to the horizon into the index. */
    private void rescan() {
      load(0, "", horizonEnd).onSuccess(x -> arm());
    }

    @Override
    public Future<Void> releasing() {
      return Future.succeededFuture(); // the scheduler starts no attempts itself
    }

    @Override
    public void lost() {}
  }

  /** Adds the store's due rows after the cursor up to {@code until}, page by page. */
  private Future<Void> load(long afterDue, String afterId, long until) {
    return messages
        .scanDue(afterDue, afterId, until, SCAN_PAGE)
        .compose(
            rows -> {
              rows.forEach(r -> add(r.dueAt(), r.messageId(), r.host()));
              if (rows.size() < SCAN_PAGE) return Future.succeededFuture();
              DueEntry last = rows.get(rows.size() - 1);
              if (index.size()
                  >= maxInMemory) { // full: the rest is read back from here once the index drains
                leftOutFrom = Math.min(leftOutFrom, last.dueAt());
                return Future.succeededFuture();
              }
              return load(last.dueAt(), last.messageId(), until);
            });
  }

  private boolean owns(Message m) {
    return ownership.ownsMessage(
        m.id(),
        m.tenant(),
        m.queueName(),
        m.flowControl() == null ? null : m.flowControl().key(),
        m.scheduleId());
  }

  private void arm() {
    reloadLeftOut();
    if (index.isEmpty() || firing || starved) return;
    long due = index.peekDue();
    if (timerId >= 0) {
      if (due >= timerDue) return;
      vertx.cancelTimer(timerId);
    }
    timerDue = due;
    timerId =
        vertx.setTimer(
            Math.max(1, due - PREFETCH_MILLIS - clock.millis()),
            t -> {
              timerId = -1;
              timerDue = Long.MAX_VALUE;
              fire();
            });
  }

  private void fire() {
    long now = clock.millis();
    int room = Math.min(FIRE_BATCH, delivery.capacity().getAsInt());
    long horizon = now + PREFETCH_MILLIS;
    if (room == 0 && !index.isEmpty() && index.peekDue() <= horizon) {
      starved = true; // delivery is full: wake() fires again when attempts finish
      return;
    }
    Map<String, Long> due = new HashMap<>();
    int examined =
        0; // parked entries are cheap but not free: the event loop is handed back after a batch
    while (!index.isEmpty()
        && index.peekDue() <= horizon
        && due.size() < room
        && examined++ < FIRE_BATCH) {
      long dueAt = index.peekDue();
      String id = index.peekId(); // unpacked from two longs: once per entry
      String host = index.peekHost();
      boolean parked =
          host != null && delivery.parkWhenHostFull().test(new DueEntry(dueAt, id, host));
      if (!parked) due.merge(id, dueAt, Math::max);
      index.poll();
    }
    settledSize = index.size();
    if (due.isEmpty()) {
      if (examined > FIRE_BATCH) {
        context.runOnContext(v -> fire()); // all parked, and more are due
      } else {
        arm();
      }
      return;
    }
    firing = true;
    long readNanos = System.nanoTime();
    messages
        .findAll(new ArrayList<>(due.keySet()))
        .onComplete(
            ar -> {
              firing = false;
              if (ar.succeeded()) {
                // An entry earlier than the stored due time is stale: the message was rescheduled
                // and has a later entry.
                // A message another process owns now is its to deliver.
                List<Message> ready =
                    ar.result().stream()
                        .filter(m -> due.get(m.id()) >= m.dueAt() && owns(m))
                        .toList();
                staged.offer(
                    new StoreCopies(ready, readNanos),
                    m -> due.get(m.id())); // what is due now goes on; the rest waits for its time
              } else {
                LOG.error(
                    "cannot read {} due messages; trying again in 1s", due.size(), ar.cause());
                long retryAt = clock.millis() + 1000;
                due.keySet().forEach(id -> index.add(retryAt, id));
                settledSize = index.size();
              }
              if (!index.isEmpty() && index.peekDue() <= clock.millis() + PREFETCH_MILLIS) {
                context.runOnContext(v -> fire());
              } else {
                arm();
              }
            });
  }
}
