package dev.ferry.store.redis;

import static dev.ferry.store.StoreFixtures.T0;
import static dev.ferry.store.StoreFixtures.attempt;
import static dev.ferry.store.StoreFixtures.await;
import static dev.ferry.store.StoreFixtures.dlqEntry;
import static dev.ferry.store.StoreFixtures.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.config.RedisConfig;
import dev.ferry.model.Message;
import dev.ferry.store.MessageIds;
import dev.ferry.store.OwnershipLostException;
import dev.ferry.store.StoreFixtures;
import dev.ferry.store.StoreMetrics;
import dev.ferry.testing.MessageBuilder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fencing: delivery's writes in a partition (delivered, rescheduled, dead-lettered) carry the lease
 * value this replica holds, and the store refuses them once the lease holds another, so a replica
 * that paused or was cut off past its lease cannot record an outcome over the new owner's. A cancel
 * from the API is never fenced.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisFencingTest {
  private static final int PARTITIONS = 4;

  private RedisTarget target;
  private RedisLink link;
  private RedisKeys keys;
  private final Partitions partitions = new Partitions(PARTITIONS);

  /** What this replica believes it holds, per partition. */
  private final Map<Integer, String> believed = new ConcurrentHashMap<>();

  private RedisMessageStore store;

  /** The Redis under test: a standalone server of the test's own here. */
  protected RedisTarget newTarget() throws Exception {
    return RedisTarget.standalone();
  }

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    target = newTarget();
    RedisConfig config = target.config();
    keys = new RedisKeys(config.keyPrefix());
    link = RedisLink.create(vertx, config, StoreMetrics.NONE);
    store = new RedisMessageStore(link, keys, partitions, believed::get);
    StoreFixtures.placeIdsWith(new RedisIds(partitions));
  }

  @AfterEach
  void stop() throws Exception {
    StoreFixtures.placeIdsWith(MessageIds.AS_MINTED);
    if (link != null) await(link.close());
    target.close();
  }

  @Test
  void the_holder_of_the_lease_records_outcomes() throws Exception {
    Message delivered = message("acme", T0);
    Message retried = message("acme", T0);
    Message failed = message("acme", T0);
    await(store.append(List.of(delivered, retried, failed)));
    holdEverything("a:1", "a:1");

    await(store.markDelivered(delivered, attempt(200)));
    await(store.reschedule(retried, retriedLater(retried), attempt(500)));
    await(store.moveToDlq(failed, dlqEntry("1700000000000-0", failed)));

    assertEquals(
        List.of(retried.id()),
        await(store.findAll(List.of(delivered.id(), retried.id(), failed.id()))).stream()
            .map(Message::id)
            .toList());
  }

  @Test
  void a_replica_whose_lease_passed_on_changes_nothing() throws Exception {
    Message m = message("acme", T0);
    await(store.append(List.of(m)));
    // this replica still believes it holds "a:1"; Redis says the partition went to b
    holdEverything("a:1", "b:2");

    assertFenced(() -> store.markDelivered(m, attempt(200)));
    assertFenced(() -> store.reschedule(m, retriedLater(m), attempt(500)));
    assertFenced(() -> store.moveToDlq(m, dlqEntry("1700000000000-1", m)));

    Message stored = await(store.find("acme", m.id())).orElseThrow();
    assertEquals(m.retried(), stored.retried(), "the reschedule was not written");
    assertEquals(0, exists(keys.dlq(partitions.ofId(m.id()))), "no DLQ entry");
    assertEquals(0, exists(keys.dlqIndex("acme")), "no index row");
  }

  @Test
  void a_replica_without_a_live_lease_is_refused_without_asking_redis() throws Exception {
    Message m = message("acme", T0);
    await(store.append(List.of(m)));
    holdEverything("a:1", "a:1");
    believed.clear(); // e.g. its deadline passed while cut off

    assertFenced(() -> store.markDelivered(m, attempt(200)));
    assertTrue(await(store.find("acme", m.id())).isPresent());
  }

  @Test
  void a_cancel_is_never_fenced() throws Exception {
    Message m = message("acme", T0);
    await(store.append(List.of(m)));
    holdEverything("a:1", "b:2");

    assertEquals(1, await(store.cancel("acme", List.of(m.id()))).size());
    assertTrue(await(store.find("acme", m.id())).isEmpty());
  }

  /** This replica believes it holds {@code mine}; Redis's leases hold {@code actual}. */
  private void holdEverything(String mine, String actual) throws Exception {
    for (int p = 0; p < PARTITIONS; p++) {
      believed.put(p, mine);
      await(link.send(Request.cmd(Command.SET).arg(keys.lease(p)).arg(actual)));
    }
  }

  private int exists(String key) {
    return await(link.send(Request.cmd(Command.EXISTS).arg(key))).toInteger();
  }

  private static Message retriedLater(Message m) {
    return MessageBuilder.from(m).retried(m.retried() + 1).dueAt(T0 + 60_000).build();
  }

  private static void assertFenced(Supplier<Future<?>> call) {
    assertThrows(OwnershipLostException.class, () -> await(call.get()));
  }
}
