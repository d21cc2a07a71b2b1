package dev.ferry.store.redis;

import static dev.ferry.store.StoreFixtures.attempt;
import static dev.ferry.store.StoreFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.config.RedisConfig;
import dev.ferry.model.DueEntry;
import dev.ferry.model.Message;
import dev.ferry.store.MessageIds;
import dev.ferry.store.OwnerNudges;
import dev.ferry.store.StoreFixtures;
import dev.ferry.store.StoreMetrics;
import dev.ferry.testing.Polls;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Stores opened as replicas of one real {@code redis-server}: each partition is owned by one
 * replica, the due index a replica scans is its own, a change made on one replica reaches the owner
 * at once (pub/sub), a replica that closes hands its partitions over without waiting for its leases
 * to expire, and one cut off is taken over within the lease time, its late writes refused.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisReplicasTest {
  private static final Duration LEASE = Duration.ofMillis(2000);
  private static final int PARTITIONS = 8;

  private RedisTarget target;
  private RedisConfig config;
  private final List<RedisStores> opened = new ArrayList<>();

  /** The Redis the replicas share: a standalone server of the test's own here. */
  protected RedisTarget newTarget() throws Exception {
    return RedisTarget.standalone();
  }

  @BeforeEach
  void start() throws Exception {
    target = newTarget();
    config = target.config().withPartitions(PARTITIONS).withLeaseTime(LEASE);
    StoreFixtures.placeIdsWith(new RedisIds(new Partitions(PARTITIONS)));
  }

  @AfterEach
  void stop() throws Exception {
    StoreFixtures.placeIdsWith(MessageIds.AS_MINTED);
    for (RedisStores s : opened) await(s.close());
    target.close();
  }

  @Test
  void every_partition_has_one_owner_and_each_scans_only_its_own_due_rows(Vertx vertx) {
    RedisStores a = replica(vertx, "a");
    RedisStores b = replica(vertx, "b");
    awaitSplit(a, b);
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < 40; i++) messages.add(StoreFixtures.message("acme", 1000 + i));
    await(a.messages().append(messages));

    List<DueEntry> seenByA = await(a.messages().scanDue(0, "", Long.MAX_VALUE, 1000));
    List<DueEntry> seenByB = await(b.messages().scanDue(0, "", Long.MAX_VALUE, 1000));
    assertEquals(40, seenByA.size() + seenByB.size(), "each row scanned by one replica");
    for (Message m : messages) {
      boolean byA = owns(a, m);
      assertTrue(byA != owns(b, m), m.id() + " has one owner");
      boolean scannedByA = seenByA.stream().anyMatch(e -> e.messageId().equals(m.id()));
      assertEquals(byA, scannedByA, m.id());
    }
  }

  @Test
  void changes_made_on_one_replica_reach_the_owner_at_once(Vertx vertx) {
    RedisStores a = replica(vertx, "a");
    RedisStores b = replica(vertx, "b");
    awaitSplit(a, b);
    List<String> heard = new CopyOnWriteArrayList<>();
    b.nudges().listen(recording(heard));
    a.nudges().listen(recording(new CopyOnWriteArrayList<>()));

    Message first = messageOwnedBy(b); // the first also warms up the JSON codec and connections
    await(a.messages().append(List.of(first)));
    a.nudges().stored(List.of(first));
    Polls.waitUpTo(Duration.ofSeconds(5), Duration.ofMillis(2), () -> heard.size() == 1);
    heard.clear();

    Message theirs = messageOwnedBy(b);
    Message mine = messageOwnedBy(a);
    await(a.messages().append(List.of(theirs, mine)));
    long sent = System.nanoTime();
    a.nudges().stored(List.of(theirs, mine));
    a.nudges().cancelled(theirs.id());
    a.nudges().cancelled(mine.id());
    Polls.waitUpTo(Duration.ofSeconds(5), Duration.ofMillis(2), () -> heard.size() >= 2);
    System.out.printf(
        "nudge from a to b arrived in %d ms%n", (System.nanoTime() - sent) / 1_000_000);
    assertEquals(
        java.util.Set.of("due " + theirs.id(), "cancelled " + theirs.id()),
        java.util.Set.copyOf(heard),
        "only what b owns is sent to b");
  }

  @Test
  void a_replica_that_closes_hands_over_without_waiting_for_its_leases(Vertx vertx) {
    RedisStores a = replica(vertx, "a");
    RedisStores b = replica(vertx, "b");
    awaitSplit(a, b);
    long started = System.nanoTime();
    await(a.close());
    Polls.waitUpTo(Duration.ofSeconds(10), () -> ownedCount(b) == PARTITIONS);
    long tookMillis = (System.nanoTime() - started) / 1_000_000;
    System.out.printf("graceful handover of a's partitions to b took %d ms%n", tookMillis);
    assertTrue(tookMillis < LEASE.toMillis(), "took " + tookMillis + " ms");
  }

  @Test
  void a_replica_cut_off_is_taken_over_within_the_lease_and_its_late_writes_are_refused(
      Vertx vertx) {
    RedisStores a = replica(vertx, "a");
    RedisStores b = replica(vertx, "b");
    awaitSplit(a, b);
    Message inFlightOnA = messageOwnedBy(a);
    await(a.messages().append(List.of(inFlightOnA)));

    long cut = System.nanoTime();
    await(a.cutOffLeases());
    Polls.waitUpTo(Duration.ofSeconds(20), () -> ownedCount(b) == PARTITIONS);
    long tookMillis = (System.nanoTime() - cut) / 1_000_000;
    System.out.printf("b took over the partitions of a cut-off a after %d ms%n", tookMillis);
    assertTrue(tookMillis < LEASE.toMillis() * 2, "took " + tookMillis + " ms");
    assertFalse(owns(a, inFlightOnA), "a stopped owning what it was cut off from");

    org.junit.jupiter.api.Assertions.assertThrows(
        dev.ferry.store.OwnershipLostException.class,
        () -> await(a.messages().markDelivered(inFlightOnA, attempt(200))),
        "a's outcome after the takeover is refused");
    assertTrue(await(b.messages().find("acme", inFlightOnA.id())).isPresent(), "b delivers it");
  }

  private RedisStores replica(Vertx vertx, String name) {
    RedisStores s = await(RedisStores.openReplica(vertx, config, StoreMetrics.NONE, name));
    opened.add(s);
    return s;
  }

  private static void awaitSplit(RedisStores a, RedisStores b) {
    Polls.waitUpTo(
        Duration.ofSeconds(20),
        () -> {
          int na = ownedCount(a);
          int nb = ownedCount(b);
          return na + nb == PARTITIONS && na == PARTITIONS / 2;
        });
  }

  private static int ownedCount(RedisStores s) {
    return s.replica().leases().ownedCount();
  }

  private static boolean owns(RedisStores s, Message m) {
    return s.ownership().ownsMessage(m.id(), m.tenant(), m.queueName(), null, m.scheduleId());
  }

  private static Message messageOwnedBy(RedisStores s) {
    for (int i = 0; i < 1000; i++) {
      Message m = StoreFixtures.message("acme", 1000);
      if (owns(s, m)) return m;
    }
    throw new AssertionError("no partition owned");
  }

  private static OwnerNudges.Receiver recording(List<String> heard) {
    return new OwnerNudges.Receiver() {
      @Override
      public void due(List<DueEntry> entries) {
        entries.forEach(e -> heard.add("due " + e.messageId()));
      }

      @Override
      public void queueNudged(String tenant, String queue) {
        heard.add("queue " + queue);
      }

      @Override
      public void cancelled(String messageId) {
        heard.add("cancelled " + messageId);
      }

      @Override
      public void queueChanged(String tenant, String queue) {
        heard.add("queue changed " + queue);
      }

      @Override
      public void scheduleChanged(String tenant, String scheduleId) {
        heard.add("schedule changed " + scheduleId);
      }
    };
  }
}
