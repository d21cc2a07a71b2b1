package dev.ferry.store.redis;

import dev.ferry.model.LogRecord;
import dev.ferry.store.CreatedEntry;
import dev.ferry.store.codec.LogCodec;
import dev.ferry.store.codec.MessageCodec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write side of {@link RedisLogStore}: callers (any thread) hand records to a bounded queue;
 * one flush at a time, on a context of its own, turns what waits into rows and sends one script per
 * tenant ({@code log_append.lua}), which gives the rows their positions. One flush at a time keeps
 * a tenant's entries in the order they were recorded. When the queue holds too much, or Redis fails
 * a flush, entries are dropped and counted instead of slowing anyone.
 */
final class RedisLogWriter {
  private static final Logger LOG = LoggerFactory.getLogger(RedisLogWriter.class);
  private static final int MAX_QUEUED_ITEMS = 65_536;
  private static final int MAX_ITEMS_PER_FLUSH = 4096;

  /** Bounds a row of CREATED entries (about 100 KB of ids), as the embedded log does. */
  private static final int MAX_CREATED_PER_ROW = 4096;

  /**
   * Entries that trickle in one by one wait this long, so a flush carries many of them in one
   * script call per tenant.
   */
  private static final long LINGER_MILLIS = 2;

  private final RedisLink link;
  private final RedisKeys keys;
  private final LongSupplier clock;
  private final Context context;
  private final long maxQueuedBytes;
  private final ConcurrentLinkedQueue<Item> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queuedItems = new AtomicInteger();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Set<String> knownTenants = ConcurrentHashMap.newKeySet();
  private final Promise<Void> drained = Promise.promise();
  private volatile boolean closing;
  private boolean failing; // flush context only

  private record Item(List<CreatedEntry> created, List<LogRecord> records, long bytes) {
    int size() {
      return created != null ? created.size() : records.size();
    }
  }

  RedisLogWriter(
      RedisLink link, RedisKeys keys, LongSupplier clock, Context context, long maxQueuedBytes) {
    this.link = link;
    this.keys = keys;
    this.clock = clock;
    this.context = context;
    this.maxQueuedBytes = maxQueuedBytes;
  }

  long dropped() {
    return dropped.get();
  }

  void offer(List<CreatedEntry> created, List<LogRecord> records, int n, long bytes) {
    if (closing) {
      dropped.addAndGet(n);
      return;
    }
    if (queuedItems.get() >= MAX_QUEUED_ITEMS || queuedBytes.get() + bytes > maxQueuedBytes) {
      drop(n, "log store overloaded");
      return;
    }
    queuedItems.incrementAndGet();
    queuedBytes.addAndGet(bytes);
    queue.add(new Item(created, records, bytes));
    if (scheduled.compareAndSet(false, true)) schedule(LINGER_MILLIS);
  }

  /** Refuses new records; completes once everything queued before is written (or dropped). */
  Future<Void> close() {
    closing = true;
    if (scheduled.compareAndSet(false, true)) schedule(0);
    return drained.future();
  }

  private void schedule(long delay) {
    context.runOnContext(
        v -> {
          if (delay <= 0) flush();
          else context.owner().setTimer(delay, t -> flush());
        });
  }

  private void flush() {
    List<Item> items = new ArrayList<>();
    for (Item item = queue.poll(); item != null; item = queue.poll()) {
      items.add(item);
      if (items.size() == MAX_ITEMS_PER_FLUSH) break;
    }
    Map<String, TenantRows> byTenant = rows(items);
    List<Future<?>> writes = new ArrayList<>();
    for (TenantRows rows : byTenant.values()) writes.add(write(rows));
    Future.join(writes)
        .onComplete(
            ar -> {
              long bytes = 0;
              for (Item item : items) bytes += item.bytes();
              queuedItems.addAndGet(-items.size());
              queuedBytes.addAndGet(-bytes);
              written(byTenant.values(), writes);
              scheduled.set(false);
              if (!queue.isEmpty()) {
                if (scheduled.compareAndSet(false, true)) schedule(closing ? 0 : LINGER_MILLIS);
              } else if (closing) {
                drained.tryComplete();
              }
            });
  }

  private void written(Iterable<TenantRows> tenants, List<Future<?>> writes) {
    int i = 0;
    Throwable failure = null;
    for (TenantRows rows : tenants) {
      Future<?> write = writes.get(i++);
      if (write.failed()) {
        failure = write.cause();
        drop(rows.entries, "log store write failed");
      }
    }
    if (failure != null && !failing) {
      LOG.error(
          "writing the message log to Redis failed; entries are dropped until it works: {}",
          failure.getMessage());
    } else if (failure == null && failing) {
      LOG.info("writing the message log to Redis works again");
    }
    failing = failure != null;
  }

  /** Registers the tenant once per process (retention walks the registered ones), then appends. */
  private Future<?> write(TenantRows rows) {
    Future<?> registered =
        knownTenants.contains(rows.tenant)
            ? Future.succeededFuture()
            : link.send(Request.cmd(Command.SADD).arg(keys.logTenants()).arg(rows.tenant))
                .onSuccess(v -> knownTenants.add(rows.tenant));
    List<Object> args = new ArrayList<>();
    args.add(clock.getAsLong());
    args.add(rows.rows);
    args.addAll(rows.args);
    return registered.compose(
        v ->
            link.writeUnsynced(
                RedisScripts.LOG_APPEND,
                List.of(
                    keys.logStream(rows.tenant),
                    keys.logSnapshots(rows.tenant),
                    keys.logNext(rows.tenant)),
                args));
  }

  private static Map<String, TenantRows> rows(List<Item> items) {
    Map<String, TenantRows> byTenant = new LinkedHashMap<>();
    for (Item item : items) {
      if (item.created() != null) {
        for (CreatedEntry c : item.created()) {
          byTenant.computeIfAbsent(c.tenant(), TenantRows::new).created(c.messageId());
        }
      } else {
        for (LogRecord r : item.records()) {
          byTenant.computeIfAbsent(r.tenant(), TenantRows::new).record(r);
        }
      }
    }
    byTenant.values().forEach(TenantRows::closeCreated);
    return byTenant;
  }

  private void drop(long n, String why) {
    long before = dropped.getAndAdd(n);
    // one line per 2^16 drops: visible in the process log without flooding it
    if (before >>> 16 != (before + n) >>> 16 || before == 0) {
      LOG.warn("{}: {} log entries dropped so far", why, before + n);
    }
  }

  /** One tenant's rows of one flush, as {@code log_append.lua} reads them. */
  private static final class TenantRows {
    final String tenant;
    final List<Object> args = new ArrayList<>();
    final List<String> created = new ArrayList<>();
    int rows;
    int entries;

    TenantRows(String tenant) {
      this.tenant = tenant;
    }

    void created(String id) {
      if (created.size() == MAX_CREATED_PER_ROW) closeCreated();
      created.add(id);
      entries++;
    }

    void record(LogRecord r) {
      closeCreated();
      boolean snapshot = r.state().terminal() && r.message() != null;
      add(
          1,
          LogCodec.encode(r, RedisLogStore.MAX_LOGGED_BODY),
          snapshot ? r.messageId() : "",
          snapshot ? MessageCodec.encode(r.message()) : new byte[0]);
      entries++;
    }

    /** Consecutive CREATED entries share one row, as on the embedded log. */
    void closeCreated() {
      if (created.isEmpty()) return;
      add(created.size(), LogCodec.encodeCreated(created), "", new byte[0]);
      created.clear();
    }

    private void add(int count, byte[] row, String snapshotId, byte[] snapshot) {
      args.add(count);
      args.add(row);
      args.add(snapshotId);
      args.add(snapshot);
      rows++;
    }
  }
}
