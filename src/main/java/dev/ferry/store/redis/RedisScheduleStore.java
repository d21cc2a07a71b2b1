package dev.ferry.store.redis;

import dev.ferry.model.Message;
import dev.ferry.model.Schedule;
import dev.ferry.store.ScheduleStore;
import dev.ferry.store.codec.ScheduleCodec;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@link ScheduleStore} on Redis. A schedule lives in partition {@code hash(scheduleId)} (a hash
 * per tenant there, value {@code "<revision> <ScheduleCodec JSON>"}), the partition where its
 * ticks' messages go unless they have a queue or flow-control key of their own; so the compare and
 * set on the revision that records a tick, and the storing of those messages, are one script. A
 * tick's messages for other partitions go through the tick outbox ({@link MessageOutbox}). Two
 * index sets under the metadata tag (tenants; a tenant's partitions) only ever grow and are written
 * before the record, so listings never miss a schedule. Non-blocking; thread-safe.
 */
final class RedisScheduleStore implements ScheduleStore {
  /** A pause that keeps losing to concurrent writes of the same schedule gives up after this. */
  private static final int MAX_PAUSE_ATTEMPTS = 16;

  private final RedisLink link;
  private final RedisKeys keys;
  private final Partitions partitions;
  private final MessageOutbox outbox;

  RedisScheduleStore(
      RedisLink link, RedisKeys keys, Partitions partitions, RedisMessageStore messages) {
    this.link = link;
    this.keys = keys;
    this.partitions = partitions;
    this.outbox = new MessageOutbox(link, partitions, messages, keys::tickOutbox);
  }

  @Override
  public Future<Optional<Schedule>> get(String tenant, String scheduleId) {
    int p = partitions.ofSchedule(scheduleId);
    return link.send(Request.cmd(Command.HGET).arg(keys.schedules(p, tenant)).arg(scheduleId))
        .map(r -> r == null ? Optional.<Schedule>empty() : Optional.of(decode(r.toBytes())));
  }

  @Override
  public Future<List<Schedule>> list(String tenant) {
    return link.send(Request.cmd(Command.SMEMBERS).arg(keys.schedulePartitions(tenant)))
        .compose(
            parts -> {
              List<Future<Response>> reads = new ArrayList<>();
              for (Response p : parts) {
                reads.add(
                    link.send(
                        Request.cmd(Command.HVALS)
                            .arg(keys.schedules(Integer.parseInt(p.toString()), tenant))));
              }
              return Settled.all(reads);
            })
        .map(
            replies -> {
              List<Schedule> out = new ArrayList<>();
              for (Response reply : replies) for (Response r : reply) out.add(decode(r.toBytes()));
              out.sort(Comparator.comparing(Schedule::scheduleId));
              return out;
            });
  }

  /**
   * Every tenant's schedules; first finishes the tick copies a crash left unfinished (the cron
   * calls this at start-up).
   */
  @Override
  public Future<List<Schedule>> listAll() {
    return outbox
        .copyAll()
        .compose(v -> link.send(Request.cmd(Command.SMEMBERS).arg(keys.scheduleTenants())))
        .compose(
            tenants -> {
              List<Future<List<Schedule>>> lists = new ArrayList<>();
              for (Response t : tenants) lists.add(list(t.toString()));
              return Settled.all(lists);
            })
        .map(
            lists -> {
              List<Schedule> out = new ArrayList<>();
              lists.forEach(out::addAll);
              out.sort(Comparator.comparing(Schedule::tenant).thenComparing(Schedule::scheduleId));
              return out;
            });
  }

  @Override
  public Future<Schedule> put(Schedule schedule) {
    String tenant = schedule.tenant();
    int p = partitions.ofSchedule(schedule.scheduleId());
    return link.write(
            RedisScripts.SCHEDULE_INDEX,
            List.of(keys.scheduleTenants(), keys.schedulePartitions(tenant)),
            List.of(tenant, p))
        .compose(
            v ->
                link.write(
                    RedisScripts.SCHEDULE_PUT,
                    List.of(keys.schedules(p, tenant)),
                    List.of(schedule.scheduleId(), ScheduleCodec.encode(schedule))))
        .map(revision -> schedule.withRevision(revision.toLong()));
  }

  @Override
  public Future<Optional<Schedule>> setPaused(String tenant, String scheduleId, boolean paused) {
    return setPaused(tenant, scheduleId, paused, 1);
  }

  /** Reads, then writes if nobody wrote the schedule in between; else reads again. */
  private Future<Optional<Schedule>> setPaused(
      String tenant, String scheduleId, boolean paused, int attempt) {
    return get(tenant, scheduleId)
        .compose(
            found -> {
              if (found.isEmpty()) return Future.succeededFuture(Optional.<Schedule>empty());
              Schedule changed = found.get().withPaused(paused);
              return compareAndSet(found.get().revision(), changed)
                  .compose(
                      revision -> {
                        if (revision > 0) {
                          return Future.succeededFuture(
                              Optional.of(changed.withRevision(revision)));
                        }
                        if (attempt >= MAX_PAUSE_ATTEMPTS) {
                          return Future.failedFuture(
                              new IllegalStateException(
                                  "schedule " + scheduleId + " kept changing while being paused"));
                        }
                        return setPaused(tenant, scheduleId, paused, attempt + 1);
                      });
            });
  }

  private Future<Long> compareAndSet(long expectedRevision, Schedule changed) {
    int p = partitions.ofSchedule(changed.scheduleId());
    return link.write(
            RedisScripts.SCHEDULE_CAS,
            List.of(keys.schedules(p, changed.tenant())),
            List.of(changed.scheduleId(), expectedRevision, ScheduleCodec.encode(changed)))
        .map(Response::toLong);
  }

  /**
   * Removes the record; the index sets keep their rows (they only say where to look). A tick copy
   * still unfinished for it is finished at the next start-up.
   */
  @Override
  public Future<Boolean> delete(String tenant, String scheduleId) {
    int p = partitions.ofSchedule(scheduleId);
    return link.writeCommand(
            Request.cmd(Command.HDEL).arg(keys.schedules(p, tenant)).arg(scheduleId))
        .map(r -> r.toLong() > 0);
  }

  /**
   * One script in the schedule's partition checks the revision, stores the new record and the
   * messages of that partition, and adds the others to the tick outbox; then the outbox entry is
   * copied to their partitions and cleared, before this completes. A refused tick writes nothing
   * (but finishes an earlier tick's unfinished copy).
   */
  @Override
  public Future<Optional<Schedule>> recordTick(
      Schedule expected, long tickTime, List<Message> produced) {
    if (expected.lastScheduleTime() >= tickTime) {
      // the stored schedule has this revision only if it is expected itself
      return Future.succeededFuture(Optional.empty());
    }
    String tenant = expected.tenant();
    String id = expected.scheduleId();
    int p = partitions.ofSchedule(id);
    String field = MessageOutbox.field(tenant, id);
    List<Message> local = new ArrayList<>();
    List<Message> remote = new ArrayList<>();
    for (Message m : produced) (partitions.ofId(m.id()) == p ? local : remote).add(m);
    Schedule ticked =
        expected
            .ticked(tickTime, produced.stream().map(Message::id).toList())
            .withRevision(expected.revision() + 1);
    PartitionBatch batch =
        new PartitionBatch(
            p,
            keys,
            partitions,
            keys.messages(p),
            keys.due(p),
            keys.ids(p),
            keys.schedules(p, tenant),
            keys.tickOutbox(p),
            keys.pendingCounts(p));
    try {
      batch.args.addAll(
          List.of(
              id,
              field,
              expected.revision(),
              ScheduleCodec.encode(ticked),
              MessageOutbox.encode(remote),
              local.size()));
      local.forEach(batch::addMessage);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return link.write(RedisScripts.SCHEDULE_TICK, batch.keys, batch.args)
        .compose(
            reply -> {
              long revision = reply.get(0).toLong();
              byte[] entry = reply.get(1).toBytes();
              Optional<Schedule> result =
                  revision > 0 ? Optional.of(ticked.withRevision(revision)) : Optional.empty();
              return outbox.copy(p, field, entry == null ? new byte[0] : entry).map(result);
            });
  }

  /** A stored value: the revision, a space, then the {@link ScheduleCodec} record. */
  private static Schedule decode(byte[] value) {
    int space = 0;
    while (value[space] != ' ') space++;
    long revision = Long.parseLong(new String(value, 0, space, StandardCharsets.US_ASCII));
    return ScheduleCodec.decode(Arrays.copyOfRange(value, space + 1, value.length))
        .withRevision(revision);
  }
}
