package dev.ferry.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.store.PartitionOwnership;
import dev.ferry.testing.Polls;
import dev.ferry.testing.RedisServer;
import dev.ferry.testing.TcpProxy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A replica cut off from Redis by the network, not by closing its own client: its leases connection
 * runs through a {@link TcpProxy} that is stopped, while another replica talks to Redis directly.
 * The cut-off replica must stop using every partition (no fencing value, not owned) before the
 * other one takes it; the gap between the two is printed per partition.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisLeasesCutOffTest {
  private static final Duration LEASE = Duration.ofMillis(1500);
  private static final int PARTITIONS = 16;

  private RedisServer server;
  private TcpProxy proxy;
  private final List<PartitionLeases> started = new ArrayList<>();
  private final List<Redis> clients = new ArrayList<>();

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    server = RedisServer.start();
    proxy = TcpProxy.startBlocking(vertx, server.port());
  }

  @AfterEach
  void stop() throws Exception {
    for (PartitionLeases l : started) {
      try {
        await(l.stop());
      } catch (RuntimeException ignored) {
        // the cut-off replica cannot leave cleanly; its leases expire
      }
    }
    clients.forEach(Redis::close);
    proxy.close();
    server.close();
  }

  @Test
  void a_replica_whose_network_is_cut_stops_before_another_takes_its_partitions(Vertx vertx)
      throws Exception {
    PartitionLeases a = leases(vertx, "a", "redis://127.0.0.1:" + proxy.port());
    PartitionLeases b = leases(vertx, "b", server.url());
    Polls.waitUpTo(
        Duration.ofSeconds(20),
        () -> a.ownedCount() + b.ownedCount() == PARTITIONS && a.ownedCount() == PARTITIONS / 2);
    List<Integer> aOwned = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) if (a.owns(p)) aOwned.add(p);
    String oldFence = a.fence(aOwned.get(0));

    long cut = System.nanoTime();
    await(proxy.stop());
    long[] aStopped = new long[PARTITIONS];
    long[] bStarted = new long[PARTITIONS];
    Polls.within(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(2))
        .until(
            () -> {
              long now = System.nanoTime();
              for (int p : aOwned) {
                if (aStopped[p] == 0 && a.fence(p) == null && !a.owns(p)) aStopped[p] = now;
                if (bStarted[p] == 0 && b.owns(p)) bStarted[p] = now;
              }
              return aOwned.stream().allMatch(p -> bStarted[p] != 0);
            });

    long smallestGap = Long.MAX_VALUE;
    for (int p : aOwned) {
      assertTrue(
          aStopped[p] != 0 && aStopped[p] < bStarted[p],
          "partition " + p + ": the cut-off replica still held it when the other took it");
      smallestGap = Math.min(smallestGap, bStarted[p] - aStopped[p]);
    }
    System.out.printf(
        "network cut (lease %d ms): a stopped %d..%d ms after the cut, b took over %d..%d ms"
            + " after it; smallest gap %d ms%n",
        LEASE.toMillis(),
        millis(min(aStopped, aOwned) - cut),
        millis(max(aStopped, aOwned) - cut),
        millis(min(bStarted, aOwned) - cut),
        millis(max(bStarted, aOwned) - cut),
        millis(smallestGap));
    assertNotNull(b.fence(aOwned.get(0)));
    assertNotEquals(oldFence, b.fence(aOwned.get(0)), "a new fencing value");
  }

  /**
   * A connection that hangs instead of failing (the network path died without a reset, and TCP
   * would take many minutes to notice): the replica stops using its partitions once its leases may
   * have run out, no partition is ever used by both replicas, and the hung replica gives up on that
   * connection and comes back on a new one with its share.
   */
  @Test
  void a_replica_whose_connection_hangs_stops_in_time_and_comes_back_on_a_new_one(Vertx vertx)
      throws Exception {
    PartitionLeases a = leases(vertx, "a", "redis://127.0.0.1:" + proxy.port());
    PartitionLeases b = leases(vertx, "b", server.url());
    Polls.waitUpTo(Duration.ofSeconds(20), () -> a.ownedCount() == PARTITIONS / 2);

    long frozen = System.nanoTime();
    await(proxy.freezeOpen());
    List<String> overlaps = new ArrayList<>();
    long[] aStopped = new long[1];
    // it gives up on the connection a lease after its last request, then rejoins within rounds
    // (without that it waited for the hung connection to fail: 4.5 to 62 s after the freeze)
    Polls.within(LEASE.multipliedBy(4))
        .pollInterval(Duration.ofMillis(2))
        .until(
            () -> {
              for (int p = 0; p < PARTITIONS; p++) {
                if (a.fence(p) != null && b.owns(p)) overlaps.add("partition " + p);
              }
              if (aStopped[0] == 0 && a.ownedCount() == 0) aStopped[0] = System.nanoTime();
              return aStopped[0] != 0 && a.ownedCount() == PARTITIONS / 2;
            });
    assertEquals(List.of(), overlaps, "used by both replicas at once");
    System.out.printf(
        "hung connection (lease %d ms): a stopped %d ms after the freeze, owned its share again"
            + " after %d ms%n",
        LEASE.toMillis(), millis(aStopped[0] - frozen), millis(System.nanoTime() - frozen));
  }

  private PartitionLeases leases(Vertx vertx, String name, String url) {
    Redis redis = Redis.createClient(vertx, url);
    clients.add(redis);
    PartitionLeases leases =
        new PartitionLeases(
            vertx, redis, new RedisKeys("cut:"), PARTITIONS, name, LEASE, Duration.ofSeconds(2));
    leases.listen(new NoWork());
    started.add(leases);
    await(leases.start());
    return leases;
  }

  private static long min(long[] times, List<Integer> at) {
    return at.stream().mapToLong(p -> times[p]).min().orElseThrow();
  }

  private static long max(long[] times, List<Integer> at) {
    return at.stream().mapToLong(p -> times[p]).max().orElseThrow();
  }

  private static long millis(long nanos) {
    return nanos / 1_000_000;
  }

  private static <T> T await(Future<T> f) {
    return f.toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
  }

  /** No attempts in flight: a handover need not wait. */
  private static final class NoWork implements PartitionOwnership.Listener {
    @Override
    public void gained() {}

    @Override
    public Future<Void> releasing() {
      return Future.succeededFuture();
    }

    @Override
    public void lost() {}
  }
}
