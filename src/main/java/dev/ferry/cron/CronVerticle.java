package dev.ferry.cron;

import dev.ferry.error.ApiException;
import dev.ferry.ingest.Ingest;
import dev.ferry.ingest.PublishCommand;
import dev.ferry.model.CronSpec;
import dev.ferry.model.Schedule;
import dev.ferry.store.PartitionOwnership;
import dev.ferry.store.ScheduleStore;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ticks the cron schedules. Owns every schedule in memory (loaded from the store at start,
 * refreshed through {@link #changed}), keeps their next tick times in one heap and arms one timer
 * for the earliest. A tick goes through {@link Ingest} like a publish; its messages are stored
 * together with the schedule's tick record in one atomic write ({@link ScheduleStore#recordTick}),
 * which also refuses a tick already recorded — so each tick produces its message(s) once, across
 * crashes too. Single instance; all state is confined to its event loop.
 *
 * <p>Timing: a tick fires only once {@code clock.millis()} has reached its cron time (never early,
 * also after the wall clock steps back: the next tick is always computed after the last recorded
 * one). The timer sleeps at most {@link #MAX_SLEEP_MILLIS}, so a wall clock stepping forward (or a
 * test's clock) is noticed within a second.
 *
 * <p>Missed ticks: a tick that is late (Ferry was down, or overloaded) fires once, late; the ticks
 * missed meanwhile are merged into it, and the schedule continues with the first tick after the
 * present. So after a restart each schedule whose latest tick time passed while Ferry was down (and
 * after its creation) fires one catch-up message, not one per missed tick. A paused schedule
 * ignores its ticks, and resumes with the next one after the resume.
 */
public final class CronVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(CronVerticle.class);
  static final long MAX_SLEEP_MILLIS = 1000;

  /** While ownership is shared: how often every schedule is read to take up owned ones. */
  static final long RESYNC_MILLIS = 5_000;

  /** Before a tick whose storing failed (not its content) is tried again. */
  static final long RETRY_MILLIS = 1000;

  private final ScheduleStore store;
  private final Ingest ingest;
  private final Clock clock;
  private final TickConfig tickConfig;
  private final PartitionOwnership ownership;

  private final Map<String, Entry> entries = new HashMap<>();
  private final PriorityQueue<Due> heap = new PriorityQueue<>();
  private long timerId = -1;
  private long resyncTimer = -1;

  /**
   * Stamps heap entries; verticle-wide, so a replaced entry's leftovers never match its successor.
   */
  private long generations;

  /**
   * @param tickConfig reads each schedule's callback and flow-control headers for the messages it
   *     produces
   */
  public CronVerticle(ScheduleStore store, Ingest ingest, Clock clock, TickConfig tickConfig) {
    this(store, ingest, clock, tickConfig, PartitionOwnership.everything());
  }

  /**
   * Ticks only the schedules this process owns ({@code ownership}); takes up those of partitions it
   * gains (with the catch-up of a start), and drops those it loses.
   */
  public CronVerticle(
      ScheduleStore store,
      Ingest ingest,
      Clock clock,
      TickConfig tickConfig,
      PartitionOwnership ownership) {
    this.ownership = ownership;
    this.tickConfig = tickConfig;
    this.store = store;
    this.ingest = ingest;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    ownership.listen(new Follow());
    if (ownership.shared()) resyncTimer = vertx.setPeriodic(RESYNC_MILLIS, t -> takeUpOwned());
    return store
        .listAll()
        .onSuccess(
            all -> {
              long now = clock.millis();
              all.stream().filter(this::owns).forEach(s -> put(s, true, now));
              LOG.info("{} cron schedules loaded", entries.size());
              arm();
            });
  }

  @Override
  public Future<?> stop() {
    if (timerId >= 0) vertx.cancelTimer(timerId);
    if (resyncTimer >= 0) vertx.cancelTimer(resyncTimer);
    return Future.succeededFuture();
  }

  private boolean owns(Schedule s) {
    return ownership.ownsSchedule(s.scheduleId());
  }

  /**
   * Reads every schedule and takes up the owned ones not known here (gained, or created elsewhere
   * and the nudge lost), with the catch-up of a start; a newer revision replaces a known one.
   */
  private void takeUpOwned() {
    store
        .listAll()
        .onSuccess(
            all -> {
              long now = clock.millis();
              for (Schedule s : all) {
                if (!owns(s)) continue;
                Entry e = entries.get(key(s.tenant(), s.scheduleId()));
                if (e == null) put(s, true, now);
                else if (!e.running && e.schedule.revision() < s.revision()) put(s, false, now);
              }
              arm();
            })
        .onFailure(e -> LOG.warn("cannot list the schedules: {}", e.toString()));
  }

  /** Forgets the schedules another process owns now (a running tick completes first). */
  private void dropNotOwned() {
    entries.values().forEach(e -> e.removed |= !owns(e.schedule));
    entries.values().removeIf(e -> e.removed && !e.running);
  }

  /** Follows ownership on this verticle's context. */
  private final class Follow implements PartitionOwnership.Listener {
    @Override
    public void gained() {
      context.runOnContext(v -> takeUpOwned());
    }

    @Override
    public Future<Void> releasing() {
      context.runOnContext(v -> dropNotOwned());
      return Future.succeededFuture(); // a tick in flight is kept single by recordTick
    }

    @Override
    public void lost() {
      context.runOnContext(v -> dropNotOwned());
    }
  }

  /**
   * The schedule was created, replaced, paused, resumed or deleted: reload it from the store.
   * Thread-safe.
   */
  public void changed(String tenant, String scheduleId) {
    context.runOnContext(v -> reload(tenant, scheduleId));
  }

  /** The in-memory view of one schedule (tests). */
  Optional<Long> nextTick(String tenant, String scheduleId) {
    Entry e = entries.get(key(tenant, scheduleId));
    return e == null || e.next == Long.MAX_VALUE ? Optional.empty() : Optional.of(e.next);
  }

  private void reload(String tenant, String scheduleId) {
    store
        .get(tenant, scheduleId)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                LOG.error("cannot reload schedule {} of {}", scheduleId, tenant, ar.cause());
                return;
              }
              Entry existing = entries.get(key(tenant, scheduleId));
              if (ar.result().isEmpty() || !owns(ar.result().get())) {
                if (existing != null && !existing.running) entries.remove(key(tenant, scheduleId));
                if (existing != null) existing.removed = true;
                return;
              }
              Schedule s = ar.result().get();
              if (existing != null && existing.schedule.revision() >= s.revision())
                return; // stale read
              if (existing != null && existing.running) {
                existing.replacement = s; // applied when the running tick completes
                return;
              }
              put(s, false, clock.millis());
              arm();
            });
  }

  /** Adds or replaces the entry for {@code s} and computes its next tick. */
  private void put(Schedule s, boolean startUp, long now) {
    CronSpec cron;
    try {
      cron = CronSpec.parse(s.cron());
    } catch (IllegalArgumentException e) {
      LOG.error(
          "schedule {} of {} has an unusable cron expression and never fires: {}",
          s.scheduleId(),
          s.tenant(),
          e.getMessage());
      entries.remove(key(s.tenant(), s.scheduleId()));
      return;
    }
    Entry e = new Entry(s, cron);
    entries.put(e.key, e);
    long next =
        startUp ? firstAfterStart(s, cron, now) : after(cron, Math.max(now, s.lastScheduleTime()));
    schedule(e, next);
  }

  /** One catch-up for the latest tick missed while Ferry was down, if any; else the next tick. */
  private static long firstAfterStart(Schedule s, CronSpec cron, long now) {
    if (!s.paused()) {
      OptionalLong missed = cron.latestAtOrBefore(now);
      if (missed.isPresent()
          && missed.getAsLong() > s.lastScheduleTime()
          && missed.getAsLong() >= s.createdAt()) {
        return missed.getAsLong();
      }
    }
    return after(cron, Math.max(now, s.lastScheduleTime()));
  }

  private static long after(CronSpec cron, long millis) {
    OptionalLong next = cron.nextAfter(millis);
    return next.isPresent() ? next.getAsLong() : Long.MAX_VALUE;
  }

  private void schedule(Entry e, long next) {
    e.next = next;
    e.generation = ++generations;
    if (next != Long.MAX_VALUE) heap.add(new Due(next, e.key, e.generation));
  }

  private void arm() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    if (heap.isEmpty()) return;
    long delay = Math.max(1, Math.min(MAX_SLEEP_MILLIS, heap.peek().at - clock.millis()));
    timerId =
        vertx.setTimer(
            delay,
            t -> {
              timerId = -1;
              fireDue();
              arm();
            });
  }

  private void fireDue() {
    long now = clock.millis();
    while (!heap.isEmpty() && heap.peek().at <= now) {
      Due due = heap.poll();
      Entry e = entries.get(due.key);
      if (e == null || e.generation != due.generation || e.running || e.next > now)
        continue; // stale
      if (!owns(e.schedule)) { // moved to another process since the last look
        entries.remove(e.key);
        continue;
      }
      if (e.schedule.paused()) {
        schedule(e, after(e.cron, Math.max(now, e.next)));
        continue;
      }
      fire(e, e.next);
    }
  }

  private void fire(Entry e, long tickTime) {
    e.running = true;
    Schedule s = e.schedule;
    // stores answer on the calling context (this verticle's), so the state below stays on one
    // thread
    ingest
        .publishWith(command(s, tickTime), messages -> store.recordTick(s, tickTime, messages))
        .onComplete(ar -> fired(e, s, tickTime, ar));
  }

  private void fired(Entry e, Schedule s, long tickTime, AsyncResult<Optional<Schedule>> ar) {
    e.running = false;
    long now = clock.millis();
    if (ar.succeeded() && ar.result().isPresent()) {
      e.schedule = ar.result().get();
      schedule(e, after(e.cron, Math.max(now, tickTime)));
    } else if (ar.succeeded()) {
      // refused: the schedule changed since (a replace, pause or delete is being applied) — re-read
      // it
      schedule(e, after(e.cron, Math.max(now, tickTime)));
      reload(s.tenant(), s.scheduleId());
    } else if (ar.cause() instanceof ApiException refused) {
      LOG.warn(
          "schedule {} of {}: tick at {} produced nothing: {}",
          s.scheduleId(),
          s.tenant(),
          tickTime,
          refused.getMessage());
      schedule(e, after(e.cron, Math.max(now, tickTime)));
    } else {
      LOG.error(
          "schedule {} of {}: storing the tick at {} failed; trying again in {} ms",
          s.scheduleId(),
          s.tenant(),
          tickTime,
          RETRY_MILLIS,
          ar.cause());
      e.next = tickTime;
      e.generation = ++generations;
      heap.add(new Due(now + RETRY_MILLIS, e.key, e.generation));
    }
    if (e.removed) {
      entries.remove(e.key);
    } else if (e.replacement != null) {
      Schedule replacement = e.replacement;
      e.replacement = null;
      put(replacement, false, now);
    }
    arm();
  }

  /**
   * The publish a tick makes: the schedule's message, {@code Upstash-Delay} counted from the tick
   * time.
   */
  private PublishCommand command(Schedule s, long tickTime) {
    boolean url = s.destinationIsUrl();
    long notBefore = s.delayMillis() > 0 ? tickTime + s.delayMillis() : 0;
    TickConfig.Parsed extra;
    try {
      extra = tickConfig.parse(s.pendingConfig(), clock.millis());
    } catch (
        RuntimeException
            e) { // validated when the schedule was created; only a changed limit gets here
      LOG.warn(
          "schedule {} of {}: its callback/flow-control headers are no longer valid, ignored: {}",
          s.scheduleId(),
          s.tenant(),
          e.getMessage());
      extra = TickConfig.Parsed.NONE;
    }
    return new PublishCommand(
        s.tenant(),
        url ? s.destination() : null,
        url ? null : s.destination(),
        s.queueName(),
        s.method(),
        s.headers(),
        s.body(),
        s.maxRetries(),
        s.retryDelayExpression(),
        s.timeoutMillis(),
        notBefore,
        s.labels(),
        s.callerIp(),
        null,
        s.scheduleId(),
        extra.callback(),
        extra.failureCallback(),
        extra.flowControl(),
        null);
  }

  private static String key(String tenant, String scheduleId) {
    return tenant + '\0' + scheduleId;
  }

  /** One schedule as this verticle tracks it. */
  private static final class Entry {
    final String key;
    final CronSpec cron;
    Schedule schedule;
    long next = Long.MAX_VALUE;
    long generation;
    boolean running;
    boolean removed;
    Schedule replacement;

    Entry(Schedule schedule, CronSpec cron) {
      this.key = key(schedule.tenant(), schedule.scheduleId());
      this.schedule = schedule;
      this.cron = cron;
    }
  }

  /** A heap entry; stale once its entry's generation moved on. */
  private record Due(long at, String key, long generation) implements Comparable<Due> {
    @Override
    public int compareTo(Due o) {
      return Long.compare(at, o.at);
    }
  }
}
