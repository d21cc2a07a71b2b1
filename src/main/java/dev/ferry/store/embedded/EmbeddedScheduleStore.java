package dev.ferry.store.embedded;

import dev.ferry.model.Message;
import dev.ferry.model.Schedule;
import dev.ferry.store.ScheduleStore;
import dev.ferry.store.codec.ScheduleCodec;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * {@link ScheduleStore} on RocksDB: schedules in a {@link MetadataTable} (reads answer from memory
 * at once; writes reach it only once durable). Every read-modify-write — revision bump, pause, tick
 * — decides on the writer thread against the batch overlay, so it sees every earlier write, even
 * one in its own batch.
 */
final class EmbeddedScheduleStore implements ScheduleStore {
  private final RocksWriter writer;
  private final EmbeddedMessageStore messages;
  private final MetadataTable<Schedule> table;

  EmbeddedScheduleStore(EmbeddedDb db, RocksWriter writer, EmbeddedMessageStore messages) {
    this.writer = writer;
    this.messages = messages;
    this.table =
        new MetadataTable<>(
            db,
            writer,
            EmbeddedDb::schedules,
            ScheduleCodec::encode,
            ScheduleCodec::decode,
            Schedule::tenant,
            Schedule::scheduleId);
  }

  @Override
  public Future<Optional<Schedule>> get(String tenant, String scheduleId) {
    return Future.succeededFuture(table.get(tenant, scheduleId));
  }

  @Override
  public Future<List<Schedule>> list(String tenant) {
    return Future.succeededFuture(table.list(tenant));
  }

  @Override
  public Future<List<Schedule>> listAll() {
    return Future.succeededFuture(table.all());
  }

  @Override
  public Future<Schedule> put(Schedule schedule) {
    String tenant = schedule.tenant();
    String id = schedule.scheduleId();
    return writer.write(
        batch -> {
          Schedule stored = table.stored(batch, tenant, id);
          return table.write(
              batch, tenant, id, schedule.withRevision(stored == null ? 1 : stored.revision() + 1));
        });
  }

  @Override
  public Future<Optional<Schedule>> setPaused(String tenant, String scheduleId, boolean paused) {
    return writer.write(
        batch -> {
          Schedule stored = table.stored(batch, tenant, scheduleId);
          return stored == null
              ? Optional.empty()
              : Optional.of(
                  table.write(
                      batch,
                      tenant,
                      scheduleId,
                      stored.withPaused(paused).withRevision(stored.revision() + 1)));
        });
  }

  @Override
  public Future<Boolean> delete(String tenant, String scheduleId) {
    return table.delete(tenant, scheduleId);
  }

  @Override
  public Future<Optional<Schedule>> recordTick(
      Schedule expected, long tickTime, List<Message> produced) {
    String tenant = expected.tenant();
    String id = expected.scheduleId();
    PreparedAppend append = messages.prepare(produced);
    List<String> ids = produced.stream().map(Message::id).toList();
    return writer.write(
        batch -> {
          Schedule stored = table.stored(batch, tenant, id);
          if (stored == null
              || stored.revision() != expected.revision()
              || stored.lastScheduleTime() >= tickTime) {
            return Optional.empty();
          }
          append.writeAll(batch);
          return Optional.of(
              table.write(
                  batch,
                  tenant,
                  id,
                  stored.ticked(tickTime, ids).withRevision(stored.revision() + 1)));
        });
  }
}
