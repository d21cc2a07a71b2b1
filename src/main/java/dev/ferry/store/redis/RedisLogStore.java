package dev.ferry.store.redis;

import dev.ferry.model.LogRecord;
import dev.ferry.model.Message;
import dev.ferry.store.CreatedEntry;
import dev.ferry.store.LogStore;
import dev.ferry.store.MessageStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * {@link LogStore} on Redis: per tenant a stream of rows ({@code LogCodec} values, the same rows as
 * the embedded log: consecutive CREATED entries share one), whose entry id {@code <ms>-<seq>} is
 * the position of the row's first entry, and a hash of snapshots of finished messages. Recording
 * never waits: a {@link RedisLogWriter} flushes batches in the background, dropping (and counting)
 * what it cannot write. Retention trims each tenant's stream from its oldest end with the snapshots
 * only the trimmed entries needed. Non-blocking; thread-safe.
 */
public final class RedisLogStore implements LogStore {
  /** How much of an ERROR entry's response body a log entry keeps, as on the embedded log. */
  static final int MAX_LOGGED_BODY = 8 * 1024;

  private static final long MAX_QUEUED_BYTES = 256L * 1024 * 1024;

  private final RedisLink link;
  private final RedisKeys keys;
  private final MessageStore pending;
  private final RedisLogWriter writer;
  private Future<Void> closed;

  private RedisLogStore(
      RedisLink link, RedisKeys keys, MessageStore pending, RedisLogWriter writer) {
    this.link = link;
    this.keys = keys;
    this.pending = pending;
    this.writer = writer;
  }

  /**
   * The message log of {@code stores}, on their connection (close the log before them). Entries
   * waiting for the writer pin at most {@code maxQueuedBytes} (capped at 256 MB).
   */
  public static RedisLogStore create(
      Vertx vertx, RedisStores stores, LongSupplier clock, long maxQueuedBytes) {
    RedisLogWriter writer =
        new RedisLogWriter(
            stores.link(),
            stores.keys(),
            clock,
            vertx.getOrCreateContext(),
            Math.min(MAX_QUEUED_BYTES, maxQueuedBytes));
    return new RedisLogStore(stores.link(), stores.keys(), stores.messages(), writer);
  }

  @Override
  public void created(List<Message> messages) {
    if (messages.isEmpty()) return;
    writer.offer(CreatedEntry.of(messages), null, messages.size(), 64L * messages.size());
  }

  @Override
  public void record(LogRecord record) {
    writer.offer(null, List.of(record), 1, bytesOf(record));
  }

  @Override
  public void recordAll(List<LogRecord> records) {
    if (records.isEmpty()) return;
    long bytes = 0;
    for (LogRecord r : records) bytes += bytesOf(r);
    writer.offer(null, List.copyOf(records), records.size(), bytes);
  }

  private static long bytesOf(LogRecord r) {
    long bytes = 128;
    if (r.response() != null) bytes += Math.min(r.response().body().length, MAX_LOGGED_BODY);
    if (r.state().terminal() && r.message() != null) bytes += r.message().body().length;
    return bytes;
  }

  @Override
  public Future<Page> query(String tenant, Query query) {
    return new RedisLogQuery(link, keys, pending, tenant, query).run();
  }

  /** Tenant by tenant, oldest rows first, until about {@code limit} entries are gone. */
  @Override
  public Future<Integer> expire(long beforeMillis, int limit) {
    if (beforeMillis <= 0 || limit <= 0) return Future.succeededFuture(0);
    return link.send(Request.cmd(Command.SMEMBERS).arg(keys.logTenants()))
        .compose(
            tenants -> {
              List<String> names = new ArrayList<>();
              for (Response t : tenants) names.add(t.toString());
              return expire(names, 0, beforeMillis, limit, 0);
            });
  }

  private Future<Integer> expire(
      List<String> tenants, int i, long beforeMillis, int limit, int deleted) {
    if (i >= tenants.size() || deleted >= limit) return Future.succeededFuture(deleted);
    String tenant = tenants.get(i);
    return link.writeUnsynced(
            RedisScripts.LOG_EXPIRE,
            List.of(keys.logStream(tenant), keys.logSnapshots(tenant)),
            List.of(beforeMillis, limit - deleted))
        .compose(n -> expire(tenants, i + 1, beforeMillis, limit, deleted + n.toInteger()));
  }

  @Override
  public long dropped() {
    return writer.dropped();
  }

  /** Refuses new records and writes the queued ones. Same future on every call. */
  @Override
  public synchronized Future<Void> close() {
    if (closed == null) closed = writer.close();
    return closed;
  }
}
