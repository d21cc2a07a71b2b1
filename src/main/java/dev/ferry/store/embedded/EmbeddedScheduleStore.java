package dev.ferry.store.embedded;

import dev.ferry.model.Message;
import dev.ferry.model.Schedule;
import dev.ferry.store.ScheduleStore;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * {@link ScheduleStore} on RocksDB: schedules keyed tenant 0 id, mirrored in a sorted in-memory map loaded at open
 * (reads answer from it at once; writes reach it only once durable). Every read-modify-write — revision bump, pause,
 * tick — decides on the writer thread against the batch overlay, so it sees every earlier write, even in its batch.
 */
final class EmbeddedScheduleStore implements ScheduleStore {
  private final EmbeddedDb db;
  private final RocksWriter writer;
  private final EmbeddedMessageStore messages;
  /** tenant 0 id → schedule: one tenant's schedules are a contiguous sub-map sorted by id. */
  private final ConcurrentSkipListMap<String, Schedule> byKey = new ConcurrentSkipListMap<>();

  EmbeddedScheduleStore(EmbeddedDb db, RocksWriter writer, EmbeddedMessageStore messages) {
    this.db = db;
    this.writer = writer;
    this.messages = messages;
    try (RocksIterator it = db.db().newIterator(db.schedules())) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        Schedule s = ScheduleCodec.decode(it.value());
        byKey.put(mapKey(s.tenant(), s.scheduleId()), s);
      }
    }
  }

  @Override
  public Future<Optional<Schedule>> get(String tenant, String scheduleId) {
    return Future.succeededFuture(Optional.ofNullable(byKey.get(mapKey(tenant, scheduleId))));
  }

  @Override
  public Future<List<Schedule>> list(String tenant) {
    return Future.succeededFuture(new ArrayList<>(byKey.subMap(tenant + '\0', tenant + '\1').values()));
  }

  @Override
  public Future<List<Schedule>> listAll() {
    return Future.succeededFuture(new ArrayList<>(byKey.values()));
  }

  @Override
  public Future<Schedule> put(Schedule schedule) {
    byte[] key = Keys.named(schedule.tenant(), schedule.scheduleId());
    return writer.write(batch -> {
      Schedule stored = stored(batch, key);
      return write(batch, key, schedule.withRevision(stored == null ? 1 : stored.revision() + 1));
    });
  }

  @Override
  public Future<Optional<Schedule>> setPaused(String tenant, String scheduleId, boolean paused) {
    byte[] key = Keys.named(tenant, scheduleId);
    return writer.write(batch -> {
      Schedule stored = stored(batch, key);
      if (stored == null) {
        return Optional.empty();
      }
      return Optional.of(write(batch, key, stored.withPaused(paused).withRevision(stored.revision() + 1)));
    });
  }

  @Override
  public Future<Boolean> delete(String tenant, String scheduleId) {
    byte[] key = Keys.named(tenant, scheduleId);
    return writer.write(batch -> {
      if (!batch.exists(db.schedules(), key)) {
        return false;
      }
      batch.delete(db.schedules(), key);
      batch.afterCommit(() -> byKey.remove(mapKey(tenant, scheduleId)));
      return true;
    });
  }

  @Override
  public Future<Optional<Schedule>> recordTick(Schedule expected, long tickTime, List<Message> produced) {
    byte[] key = Keys.named(expected.tenant(), expected.scheduleId());
    EmbeddedMessageStore.Prepared append = messages.prepare(produced);
    List<String> ids = produced.stream().map(Message::id).toList();
    return writer.write(batch -> {
      Schedule stored = stored(batch, key);
      if (stored == null || stored.revision() != expected.revision() || stored.lastScheduleTime() >= tickTime) {
        return Optional.empty();
      }
      append.writeAll(batch);
      return Optional.of(write(batch, key, stored.ticked(tickTime, ids).withRevision(stored.revision() + 1)));
    });
  }

  private Schedule stored(Batch batch, byte[] key) throws RocksDBException {
    byte[] value = batch.get(db.schedules(), key);
    return value == null ? null : ScheduleCodec.decode(value);
  }

  private Schedule write(Batch batch, byte[] key, Schedule schedule) throws RocksDBException {
    batch.put(db.schedules(), key, ScheduleCodec.encode(schedule));
    batch.afterCommit(() -> byKey.put(mapKey(schedule.tenant(), schedule.scheduleId()), schedule));
    return schedule;
  }

  private static String mapKey(String tenant, String scheduleId) {
    return tenant + '\0' + scheduleId;
  }
}
