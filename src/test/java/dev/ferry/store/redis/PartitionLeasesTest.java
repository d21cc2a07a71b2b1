package dev.ferry.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.config.RedisConfig;
import dev.ferry.store.PartitionOwnership;
import dev.ferry.testing.Polls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Partition leases among replicas sharing one real {@code redis-server}: every partition has
 * exactly one owner, ownership follows replicas as they come and go, and a replica cut off from
 * Redis stops before another can take its partitions.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PartitionLeasesTest {
  private static final Duration LEASE = Duration.ofMillis(1500);

  private RedisTarget target;
  private final List<Replica> replicas = new ArrayList<>();

  /** The Redis the replicas share: a standalone server of the test's own here. */
  protected RedisTarget newTarget() throws Exception {
    return RedisTarget.standalone();
  }

  @BeforeEach
  void start_redis() throws Exception {
    target = newTarget();
  }

  @AfterEach
  void stop_all() throws Exception {
    for (Replica r : replicas) r.close();
    if (target != null) target.close();
  }

  @Test
  void one_replica_owns_every_partition_with_a_fencing_value(Vertx vertx) {
    Replica a = replica(vertx, "a", 16);
    for (int p = 0; p < 16; p++) {
      assertTrue(a.leases.owns(p), "partition " + p);
      assertTrue(a.leases.fence(p).startsWith("a:"), a.leases.fence(p));
    }
  }

  @Test
  void three_replicas_split_the_partitions_and_each_has_one_owner(Vertx vertx) {
    List<Replica> three =
        List.of(replica(vertx, "a", 64), replica(vertx, "b", 64), replica(vertx, "c", 64));
    awaitSettled(three, 64);
    for (Replica r : three) {
      int owned = r.leases.ownedCount();
      assertTrue(owned >= 20 && owned <= 22, r.name + " owns " + owned + " of 64");
    }
  }

  @Test
  void a_replica_that_stops_hands_its_partitions_over_before_its_leases_expire(Vertx vertx) {
    Replica a = replica(vertx, "a", 32);
    Replica b = replica(vertx, "b", 32);
    awaitSettled(List.of(a, b), 32);
    AtomicInteger drains = new AtomicInteger();
    a.listener.onReleasing = drains::incrementAndGet;

    long stopped = System.nanoTime();
    await(a.leases.stop());
    awaitSettled(List.of(b), 32);
    long tookMillis = (System.nanoTime() - stopped) / 1_000_000;

    assertEquals(1, drains.get(), "the stopping replica let its attempts in flight end first");
    assertTrue(tookMillis < LEASE.toMillis(), "handed over in " + tookMillis + " ms");
    for (int p = 0; p < 32; p++) assertNull(a.leases.fence(p), "a still fences " + p);
  }

  @Test
  void a_new_replica_takes_only_the_partitions_it_wins(Vertx vertx) {
    List<Replica> before = new ArrayList<>();
    for (String n : List.of("a", "b", "c")) before.add(replica(vertx, n, 128));
    awaitSettled(before, 128);
    String[] ownerBefore = owners(before, 128);

    List<Replica> after = new ArrayList<>(before);
    after.add(replica(vertx, "d", 128));
    awaitSettled(after, 128);
    String[] ownerAfter = owners(after, 128);

    int toNew = 0;
    int betweenOld = 0;
    for (int p = 0; p < 128; p++) {
      if (ownerBefore[p].equals(ownerAfter[p])) continue;
      if (ownerAfter[p].equals("d")) toNew++;
      else betweenOld++;
    }
    System.out.printf(
        "a 4th replica: %d partitions moved to it, %d between the others%n", toNew, betweenOld);
    assertEquals(32, toNew, "the new replica's fair share");
    assertTrue(betweenOld <= toNew / 2, betweenOld + " moved between old replicas");
  }

  @Test
  void eight_replicas_balance_256_partitions_and_few_move_beyond_the_departed(Vertx vertx) {
    List<Replica> live = new ArrayList<>();
    for (int i = 0; i < 8; i++) live.add(replica(vertx, "r" + i, 256));
    awaitSettled(live, 256);
    for (Replica r : live) {
      int owned = r.leases.ownedCount();
      System.out.printf("%s owns %d of 256%n", r.name, owned);
      assertEquals(32, owned, r.name + " owns " + owned + " of 256");
    }

    // one leaves gracefully, one is cut off, two join: each time only what must move moves
    String[] before = owners(live, 256);
    Replica leaving = live.remove(2);
    await(leaving.leases.stop());
    Replica cutOff = live.remove(4);
    await(cutOff.redis.close());
    live.add(replica(vertx, "r8", 256));
    live.add(replica(vertx, "r9", 256));
    awaitSettled(live, 256);
    String[] after = owners(live, 256);
    int moved = 0;
    int unforced = 0; // neither from a departed replica nor to a new one
    for (int p = 0; p < 256; p++) {
      if (before[p].equals(after[p])) continue;
      moved++;
      boolean fromDeparted = before[p].equals(leaving.name) || before[p].equals(cutOff.name);
      boolean toNew = after[p].equals("r8") || after[p].equals("r9");
      if (!fromDeparted && !toNew) unforced++;
    }
    for (Replica r : live) assertEquals(32, r.leases.ownedCount(), r.name);
    System.out.printf(
        "2 left, 2 joined: %d of 256 partitions moved, %d of them unforced%n", moved, unforced);
    assertTrue(unforced <= 32, unforced + " partitions moved between replicas that stayed");
  }

  @Test
  void a_replica_cut_off_from_redis_stops_before_another_takes_over(Vertx vertx) throws Exception {
    Replica a = replica(vertx, "a", 8);
    Replica b = replica(vertx, "b", 8);
    awaitSettled(List.of(a, b), 8);
    List<Integer> aOwned = new ArrayList<>();
    for (int p = 0; p < 8; p++) if (a.leases.owns(p)) aOwned.add(p);
    assertNotEquals(0, aOwned.size());
    String oldFence = a.leases.fence(aOwned.get(0));

    // cut a off: its client closes, so its renewals fail from now on
    await(a.redis.close());
    long[] aStopped = new long[8];
    long[] bStarted = new long[8];
    Polls.within(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(5))
        .until(
            () -> {
              long now = System.nanoTime();
              for (int p : aOwned) {
                if (aStopped[p] == 0 && a.leases.fence(p) == null) aStopped[p] = now;
                if (bStarted[p] == 0 && b.leases.owns(p)) bStarted[p] = now;
              }
              return aOwned.stream().allMatch(p -> bStarted[p] != 0);
            });
    for (int p : aOwned) {
      assertTrue(aStopped[p] != 0 && aStopped[p] < bStarted[p], "partition " + p + " overlapped");
      System.out.printf(
          "partition %d: a stopped %d ms before b took it%n",
          p, (bStarted[p] - aStopped[p]) / 1_000_000);
    }
    assertNotNull(b.leases.fence(aOwned.get(0)));
    assertNotEquals(oldFence, b.leases.fence(aOwned.get(0)), "a new fencing value");
  }

  private Replica replica(Vertx vertx, String name, int partitions) {
    RedisConfig config = target.config();
    Redis redis = Redis.createClient(vertx, RedisLink.options(config));
    PartitionLeases leases =
        new PartitionLeases(
            vertx,
            redis,
            new RedisKeys(config.keyPrefix()),
            partitions,
            name,
            LEASE,
            Duration.ofSeconds(2));
    Replica r = new Replica(name, redis, leases, new RecordingListener());
    leases.listen(r.listener);
    replicas.add(r);
    await(leases.start());
    return r;
  }

  /**
   * Waits until every replica of {@code live} sees exactly them as members, and every partition is
   * owned by exactly one of them: the one the member list assigns it to.
   */
  private static void awaitSettled(List<Replica> live, int partitions) {
    List<String> names = live.stream().map(Replica::name).sorted().toList();
    String[] assigned = Rendezvous.assign(names, partitions);
    Polls.within(Duration.ofSeconds(20))
        .until(
            () -> {
              for (Replica r : live)
                if (!r.leases.members().stream().sorted().toList().equals(names)) return false;
              for (int p = 0; p < partitions; p++) {
                String expected = assigned[p];
                for (Replica r : live)
                  if (r.leases.owns(p) != r.name.equals(expected)) return false;
              }
              return true;
            });
  }

  private static String[] owners(List<Replica> live, int partitions) {
    String[] owner = new String[partitions];
    for (int p = 0; p < partitions; p++)
      for (Replica r : live) if (r.leases.owns(p)) owner[p] = r.name;
    return owner;
  }

  private static <T> T await(Future<T> f) {
    return f.toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
  }

  private record Replica(
      String name, Redis redis, PartitionLeases leases, RecordingListener listener) {
    void close() {
      try {
        await(leases.stop());
      } catch (RuntimeException ignored) {
        // a replica cut off cannot leave cleanly; its leases expire
      }
      redis.close();
    }
  }

  private static final class RecordingListener implements PartitionOwnership.Listener {
    volatile Runnable onReleasing = () -> {};

    @Override
    public void gained() {}

    @Override
    public Future<Void> releasing() {
      onReleasing.run();
      return Future.succeededFuture();
    }

    @Override
    public void lost() {}
  }
}
