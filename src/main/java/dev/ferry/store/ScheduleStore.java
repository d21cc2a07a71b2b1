package dev.ferry.store;

import dev.ferry.model.Message;
import dev.ferry.model.Schedule;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * Cron schedules per tenant, durable (synced writes), with the bookkeeping of their ticks. Every
 * write gives the stored schedule a new {@link Schedule#revision}, so a tick computed from an older
 * revision (the schedule was replaced, paused or deleted meanwhile) is refused rather than
 * recorded. Non-blocking.
 */
public interface ScheduleStore {

  Future<Optional<Schedule>> get(String tenant, String scheduleId);

  /** The tenant's schedules sorted by id. */
  Future<List<Schedule>> list(String tenant);

  /** Every schedule of every tenant (the cron verticle loads them at start-up). */
  Future<List<Schedule>> listAll();

  /**
   * Creates the schedule or fully replaces the one with its id; completes with what was stored (new
   * revision).
   */
  Future<Schedule> put(Schedule schedule);

  /**
   * Pauses or resumes; completes with the stored schedule, or empty when there is no such schedule.
   */
  Future<Optional<Schedule>> setPaused(String tenant, String scheduleId, boolean paused);

  /** Removes the schedule; completes with false when it was not there. */
  Future<Boolean> delete(String tenant, String scheduleId);

  /**
   * Records one tick together with the messages it produced, atomically: only if the stored
   * schedule still has {@code expected}'s revision and its last tick is before {@code tickTime},
   * the messages are appended exactly as {@link MessageStore#append} appends them and the schedule
   * is stored with {@code lastScheduleTime = tickTime}, their ids and a new revision, in one synced
   * write. Otherwise nothing is written, so a tick is never recorded (nor its messages stored)
   * twice.
   *
   * @return the updated schedule, or empty when the tick was refused
   */
  Future<Optional<Schedule>> recordTick(Schedule expected, long tickTime, List<Message> produced);
}
