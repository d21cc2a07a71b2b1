package dev.ferry.console;

import dev.ferry.api.TokenAuth;
import dev.ferry.model.Queue;
import dev.ferry.store.DlqStore;
import dev.ferry.store.MessageStore;
import dev.ferry.store.QueueStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /ferry/v1/overview}: the calling tenant's figures for the console's first page —
 * published, delivered, retried and failed per minute (last 30 minutes), attempts in flight,
 * messages waiting in queues, DLQ size, the queues with the most lag and the hosts with the most
 * failed attempts (last 15 minutes), and the tenant's pending messages. Cheap enough to poll: the
 * per-minute figures are in memory ({@link TenantActivity}), queue lags and the pending count are
 * the store's counters ({@link MessageStore#pendingCount}), and the DLQ is counted at most once per
 * {@link #DLQ_COUNT_TTL_MILLIS} per tenant once it is large.
 */
final class OverviewHandler implements Handler<RoutingContext> {
  static final int MINUTES = 30;
  static final int TOP = 5;
  static final long DLQ_COUNT_TTL_MILLIS = 10_000;

  /**
   * A DLQ this small is counted on every request: walking a thousand keys costs less than a stale
   * figure.
   */
  static final long CHEAP_DLQ_COUNT = 1_000;

  private final TenantActivity activity;
  private final QueueStore queues;
  private final MessageStore messages;
  private final DlqStore dlq;
  private final Clock clock;
  private final ConcurrentHashMap<String, Counted> dlqCounts = new ConcurrentHashMap<>();

  private record Counted(long at, Future<Long> count) {}

  private record Lag(Queue queue, long lag) {}

  OverviewHandler(
      TenantActivity activity,
      QueueStore queues,
      MessageStore messages,
      DlqStore dlq,
      Clock clock) {
    this.activity = activity;
    this.queues = queues;
    this.messages = messages;
    this.dlq = dlq;
    this.clock = clock;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String tenant = TokenAuth.tenant(ctx);
    queues
        .list(tenant)
        .compose(this::lags)
        .compose(
            lags ->
                Future.all(dlqSize(tenant), messages.pendingCount(tenant))
                    .map(
                        sizes ->
                            body(tenant, lags, sizes.<Long>resultAt(0), sizes.<Long>resultAt(1))))
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  private Future<List<Lag>> lags(List<Queue> list) {
    List<Future<Long>> lengths = new ArrayList<>();
    for (Queue q : list) lengths.add(messages.queueLength(q.tenant(), q.name()));
    return Future.all(lengths)
        .map(
            all -> {
              List<Lag> lags = new ArrayList<>();
              for (int i = 0; i < list.size(); i++)
                lags.add(new Lag(list.get(i), lengths.get(i).result()));
              return lags;
            });
  }

  /**
   * The DLQ's size. Counting walks the tenant's keys, so a large DLQ is counted again only when the
   * last count is older than the TTL; a count under way is shared by the requests that arrive
   * meanwhile.
   */
  private Future<Long> dlqSize(String tenant) {
    long now = clock.millis();
    Counted counted =
        dlqCounts.compute(
            tenant, (k, old) -> reusable(old, now) ? old : new Counted(now, dlq.count(tenant)));
    return counted.count();
  }

  private static boolean reusable(Counted old, long now) {
    if (old == null || old.count().failed()) return false;
    if (!old.count().isComplete()) return true;
    return old.count().result() >= CHEAP_DLQ_COUNT && now - old.at() < DLQ_COUNT_TTL_MILLIS;
  }

  private JsonObject body(String tenant, List<Lag> lags, long dlqSize, long pending) {
    long now = clock.millis();
    long minuteStart = now - Math.floorMod(now, 60_000L);
    long[][] perMinute = activity.perMinute(tenant, MINUTES);
    JsonArray minutes = new JsonArray();
    for (int i = 0; i < perMinute.length; i++) {
      long[] m = perMinute[i];
      minutes.add(
          new JsonObject()
              .put("at", minuteStart - (long) (perMinute.length - 1 - i) * 60_000L)
              .put("published", m[TenantActivity.PUBLISHED])
              .put("delivered", m[TenantActivity.DELIVERED])
              .put("retried", m[TenantActivity.RETRIED])
              .put("failed", m[TenantActivity.FAILED]));
    }
    JsonArray slowest = new JsonArray();
    lags.stream()
        .sorted(Comparator.comparingLong(Lag::lag).reversed().thenComparing(l -> l.queue().name()))
        .limit(TOP)
        .forEach(
            l ->
                slowest.add(
                    new JsonObject()
                        .put("name", l.queue().name())
                        .put("lag", l.lag())
                        .put("parallelism", l.queue().parallelism())
                        .put("paused", l.queue().paused())));
    JsonArray hosts = new JsonArray();
    activity
        .failingHosts(tenant, TOP)
        .forEach(
            h ->
                hosts.add(
                    new JsonObject()
                        .put("host", h.host())
                        .put("failures", h.failures())
                        .put("lastError", h.lastError())));
    return new JsonObject()
        .put("tenant", tenant)
        .put("now", now)
        .put("minutes", minutes)
        .put("inFlight", activity.inFlight(tenant))
        .put("pending", pending)
        .put("queued", lags.stream().mapToLong(Lag::lag).sum())
        .put("queues", lags.size())
        .put("dlq", dlqSize)
        .put("slowestQueues", slowest)
        .put("failingHosts", hosts)
        .put("failingHostsMinutes", TenantActivity.HOST_MINUTES);
  }
}
