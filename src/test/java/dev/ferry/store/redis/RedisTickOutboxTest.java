package dev.ferry.store.redis;

import static dev.ferry.store.StoreFixtures.T0;
import static dev.ferry.store.StoreFixtures.await;
import static dev.ferry.store.StoreFixtures.message;
import static dev.ferry.store.StoreFixtures.queued;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.config.RedisConfig;
import dev.ferry.model.Message;
import dev.ferry.model.Schedule;
import dev.ferry.store.ScheduleStoreContract;
import dev.ferry.store.StoreMetrics;
import dev.ferry.store.Stores;
import dev.ferry.store.StoresContract;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The tick outbox: a cron tick's messages for other partitions (a schedule to a queue) are stored
 * even when Ferry stopped between recording the tick and copying them, and a completed tick leaves
 * nothing behind. The crash is reproduced by writing what the tick script leaves in Redis.
 */
class RedisTickOutboxTest extends StoresContract {
  private final RedisConfig config = SharedRedis.freshConfig();
  private final RedisKeys keys = new RedisKeys(config.keyPrefix());
  private final Partitions partitions = new Partitions(config.partitions());

  @Override
  protected Future<Stores> newStores(Vertx vertx) {
    return SharedRedis.open(vertx, config);
  }

  @Test
  void a_completed_tick_leaves_no_outbox_entry(Vertx vertx) {
    Stores stores = open(vertx);
    Schedule s = await(stores.schedules().put(ScheduleStoreContract.schedule("acme", "s")));
    Message toQueue = queued("acme", "q");
    await(stores.schedules().recordTick(s, T0, List.of(toQueue, message("acme", T0))));
    assertEquals(0L, outboxSize(vertx, "s"));
    assertEquals(1L, await(stores.messages().queueLength("acme", "q")));
  }

  @Test
  void messages_stranded_in_the_outbox_by_a_crash_are_stored_when_the_cron_loads_schedules(
      Vertx vertx) {
    Stores stores = open(vertx);
    await(stores.schedules().put(ScheduleStoreContract.schedule("acme", "s")));
    Message stranded = queued("acme", "q");
    strand(vertx, "s", stranded);

    Stores reopened = reopen(vertx, stores);
    assertEquals(1, await(reopened.schedules().listAll()).size());
    assertEquals(List.of(stranded.id()), ids(reopened, stranded));
    assertEquals(1L, await(reopened.messages().queueLength("acme", "q")));
    assertEquals(0L, outboxSize(vertx, "s"));
  }

  @Test
  void the_next_tick_call_stores_what_an_earlier_one_left_even_when_it_is_refused(Vertx vertx) {
    Stores stores = open(vertx);
    Schedule s = await(stores.schedules().put(ScheduleStoreContract.schedule("acme", "s")));
    Schedule ticked = await(stores.schedules().recordTick(s, T0, List.of())).orElseThrow();
    Message stranded = queued("acme", "q");
    strand(vertx, "s", stranded);

    // the cron retries the failed call with the revision it had: refused, the copy finished
    assertEquals(
        Optional.empty(),
        await(stores.schedules().recordTick(s, T0 + 1, List.of(message("acme", T0)))));
    assertEquals(List.of(stranded.id()), ids(stores, stranded));
    assertEquals(0L, outboxSize(vertx, "s"));
    assertEquals(ticked.revision(), await(stores.schedules().get("acme", "s")).get().revision());
  }

  @Test
  void two_replicas_ticking_the_same_schedule_to_a_queue_store_one_message(Vertx vertx) {
    Stores one = open(vertx);
    Stores other = open(vertx);
    Schedule s = await(one.schedules().put(ScheduleStoreContract.schedule("acme", "s")));
    Message mine = queued("acme", "q");
    Message theirs = queued("acme", "q");

    Future<Optional<Schedule>> a = one.schedules().recordTick(s, T0, List.of(mine));
    Future<Optional<Schedule>> b = other.schedules().recordTick(s, T0, List.of(theirs));

    assertEquals(1, (await(a).isPresent() ? 1 : 0) + (await(b).isPresent() ? 1 : 0));
    Message winner = await(a).isPresent() ? mine : theirs;
    assertEquals(1L, await(one.messages().queueLength("acme", "q")));
    assertEquals(
        List.of(winner.id()),
        await(one.messages().findAll(List.of(mine.id(), theirs.id()))).stream()
            .map(Message::id)
            .toList());
  }

  /** Writes an outbox entry as the tick script does before its copy. */
  private void strand(Vertx vertx, String scheduleId, Message m) {
    int p = partitions.ofSchedule(scheduleId);
    link(
        vertx,
        l ->
            l.send(
                Request.cmd(Command.HSET)
                    .arg(keys.tickOutbox(p))
                    .arg(MessageOutbox.field("acme", scheduleId))
                    .arg(MessageOutbox.encode(List.of(m)))));
  }

  private long outboxSize(Vertx vertx, String scheduleId) {
    int p = partitions.ofSchedule(scheduleId);
    return link(vertx, l -> l.send(Request.cmd(Command.HLEN).arg(keys.tickOutbox(p)))).toLong();
  }

  private <T> T link(Vertx vertx, java.util.function.Function<RedisLink, Future<T>> call) {
    RedisLink link = RedisLink.create(vertx, config, StoreMetrics.NONE);
    try {
      return await(call.apply(link));
    } finally {
      await(link.close());
    }
  }

  private static List<String> ids(Stores stores, Message m) {
    return await(stores.messages().findAll(List.of(m.id()))).stream().map(Message::id).toList();
  }
}
