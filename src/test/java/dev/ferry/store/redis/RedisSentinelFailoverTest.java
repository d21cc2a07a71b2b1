package dev.ferry.store.redis;

import static dev.ferry.store.StoreFixtures.T0;
import static dev.ferry.store.StoreFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.config.RedisConfig;
import dev.ferry.model.Message;
import dev.ferry.store.MessageIds;
import dev.ferry.store.StoreFixtures;
import dev.ferry.store.StoreMetrics;
import dev.ferry.store.StoreUnavailableException;
import dev.ferry.testing.MessageBuilder;
import dev.ferry.testing.Polls;
import dev.ferry.testing.RedisSentinels;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code mode: sentinel} through a real failover (primary + replica + three sentinels): a replica
 * of Ferry writes continuously while the primary is killed with {@code -9}; meanwhile its writes
 * fail with {@link StoreUnavailableException} (503, never a 500), afterwards they succeed on the
 * new primary without reopening the stores, and its partition leases are taken again there. Reports
 * what was acknowledged and lost: with {@code waitReplicas: 1} nothing acknowledged may be lost.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisSentinelFailoverTest {
  private static final int PARTITIONS = 8;

  /** Writes kept in flight at once: enough that some are on their way when the primary dies. */
  private static final int IN_FLIGHT = 16;

  private RedisSentinels sentinels;
  private RedisStores stores;

  @BeforeEach
  void start() throws Exception {
    sentinels = RedisSentinels.start();
    StoreFixtures.placeIdsWith(new RedisIds(new Partitions(PARTITIONS)));
  }

  @AfterEach
  void stop() throws Exception {
    StoreFixtures.placeIdsWith(MessageIds.AS_MINTED);
    if (stores != null) {
      try {
        await(stores.close());
      } catch (RuntimeException ignored) {
        // the handover's last writes may fail while Redis fails over; leases then expire
      }
    }
    sentinels.close();
  }

  @Test
  void without_wait_writes_resume_on_the_new_primary(Vertx vertx) throws Exception {
    Result result = writeThroughFailover(vertx, 0, false);
    System.out.println("waitReplicas 0, replica in sync: " + result);
  }

  @Test
  void with_wait_one_nothing_acknowledged_is_lost(Vertx vertx) throws Exception {
    Result result = writeThroughFailover(vertx, 1, false);
    System.out.println("waitReplicas 1, replica in sync: " + result);
    assertEquals(0, result.lost, "acknowledged writes lost: " + result);
  }

  /**
   * The worst case for asynchronous replication: the replica hangs (SIGSTOP) while the primary
   * acknowledges writes, then the primary dies and the replica, resumed, is promoted without them.
   */
  @Test
  void without_wait_a_lagging_replica_is_promoted_without_what_was_acknowledged(Vertx vertx)
      throws Exception {
    Result result = writeThroughFailover(vertx, 0, true);
    System.out.println("waitReplicas 0, replica lagging: " + result);
  }

  @Test
  void with_wait_one_a_lagging_replica_loses_nothing_acknowledged(Vertx vertx) throws Exception {
    Result result = writeThroughFailover(vertx, 1, true);
    System.out.println("waitReplicas 1, replica lagging: " + result);
    assertEquals(0, result.lost, "acknowledged writes lost: " + result);
  }

  /**
   * Writes continuously through a failover until writes succeed again, then reads back every write.
   * With {@code lagging}, the replica hangs for the last writes before the primary dies.
   */
  private Result writeThroughFailover(Vertx vertx, int waitReplicas, boolean lagging)
      throws Exception {
    stores = open(vertx, waitReplicas);
    // large bodies when lagging: more than the sockets' buffers hold between the two nodes
    Writer writer = new Writer(vertx, stores, lagging ? 64 * 1024 : 0);
    writer.start();
    writer.awaitAcknowledged(500);

    if (lagging) {
      sentinels.replica().pause();
      writer.awaitCompletedSincePause(300);
      sentinels.primary().kill9();
      sentinels.replica().resume();
    }
    long killed = System.nanoTime();
    sentinels.failover(Duration.ofSeconds(60));
    if (waitReplicas > 0) {
      // the new primary has no replica until the old one is back as its replica: WAIT cannot
      // succeed before, so writes fail (503) rather than be acknowledged unreplicated
      sentinels.replica().restart();
      sentinels.awaitReplicaBack(Duration.ofSeconds(60));
    }
    writer.awaitAcknowledgedAfter(killed, 200);
    writer.stopAndAwait();

    Result result = writer.result(killed);
    assertEquals(Map.of(), result.otherFailures, "every failure must be a 503: " + result);
    // the leases follow the failover too: the only replica holds every partition again
    Polls.waitUpTo(
        Duration.ofSeconds(30), () -> stores.replica().leases().ownedCount() == PARTITIONS);
    return result;
  }

  private RedisStores open(Vertx vertx, int waitReplicas) {
    RedisConfig config =
        RedisConfig.DEFAULTS
            .withEndpoints(sentinels.sentinelEndpoints())
            .withMode(RedisConfig.SENTINEL, RedisSentinels.MASTER_NAME)
            .withWaitReplicas(waitReplicas)
            .withPartitions(PARTITIONS)
            .withLeaseTime(Duration.ofSeconds(2));
    return await(RedisStores.openReplica(vertx, config, StoreMetrics.NONE, "a"));
  }

  /**
   * What the writes came to: {@code acknowledged} appends that succeeded, {@code lost} of them not
   * found afterwards, {@code failed} appends that failed with a 503 ({@code storedAnyway} of them
   * were stored nonetheless: a duplicate if the client retries), failures of other kinds by
   * message, and how long writes failed after the kill.
   */
  record Result(
      int acknowledged,
      int lost,
      int failed,
      int storedAnyway,
      Map<String, Integer> otherFailures,
      Map<String, Integer> unavailableMessages,
      long unavailableMillis) {}

  /** Appends one message per call, {@link #IN_FLIGHT} at once, on one context, until stopped. */
  private static final class Writer {
    private final Context context;
    private final RedisStores stores;
    private final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    private final Map<String, Long> failed = new ConcurrentHashMap<>();
    private final Map<String, Integer> otherFailures = new ConcurrentHashMap<>();
    private final Map<String, Integer> unavailableMessages = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong dueAt = new AtomicLong(T0);
    private final AtomicInteger completed = new AtomicInteger();
    private final byte[] body;
    private volatile boolean stopped;

    Writer(Vertx vertx, RedisStores stores, int bodyBytes) {
      this.context = vertx.getOrCreateContext();
      this.stores = stores;
      this.body = new byte[bodyBytes];
    }

    void start() {
      context.runOnContext(
          v -> {
            for (int i = 0; i < IN_FLIGHT; i++) next();
          });
    }

    private void next() {
      if (stopped) return;
      Message m = StoreFixtures.message("acme", dueAt.incrementAndGet());
      if (body.length > 0) m = MessageBuilder.from(m).body(body).build();
      Message written = m;
      inFlight.incrementAndGet();
      stores
          .messages()
          .append(List.of(written))
          .onComplete(
              ar -> {
                long now = System.nanoTime();
                completed.incrementAndGet();
                if (ar.succeeded()) acknowledged.put(written.id(), now);
                else {
                  failed.put(written.id(), now);
                  Throwable e = ar.cause();
                  Map<String, Integer> kind =
                      e instanceof StoreUnavailableException ? unavailableMessages : otherFailures;
                  kind.merge(
                      e.getClass().getSimpleName() + ": " + shape(e.getMessage()), 1, Integer::sum);
                }
                inFlight.decrementAndGet();
                // after a failure, pause a little as a client honouring Retry-After would
                if (ar.succeeded()) next();
                else context.owner().setTimer(20, t -> next());
              });
    }

    void awaitAcknowledged(int count) {
      Polls.waitUpTo(Duration.ofSeconds(30), () -> acknowledged.size() >= count);
    }

    /** Waits until {@code count} more writes completed (either way) from now on. */
    void awaitCompletedSincePause(int count) {
      int from = completed.get();
      Polls.waitUpTo(Duration.ofSeconds(30), () -> completed.get() - from >= count);
    }

    void awaitAcknowledgedAfter(long since, int count) {
      Polls.waitUpTo(
          Duration.ofSeconds(60),
          () -> acknowledged.values().stream().filter(t -> t - since > 0).count() >= count);
    }

    void stopAndAwait() {
      stopped = true;
      Polls.waitUpTo(Duration.ofSeconds(20), () -> inFlight.get() == 0);
    }

    Result result(long killed) {
      Set<String> found = new java.util.HashSet<>();
      List<String> all = new ArrayList<>(acknowledged.keySet());
      all.addAll(failed.keySet());
      for (int i = 0; i < all.size(); i += 500) {
        List<String> chunk = all.subList(i, Math.min(all.size(), i + 500));
        for (Message m : await(stores.messages().findAll(chunk))) found.add(m.id());
      }
      int lost = (int) acknowledged.keySet().stream().filter(id -> !found.contains(id)).count();
      int storedAnyway = (int) failed.keySet().stream().filter(found::contains).count();
      long lastFailure = failed.values().stream().max(Long::compare).orElse(killed);
      return new Result(
          acknowledged.size(),
          lost,
          failed.size(),
          storedAnyway,
          new TreeMap<>(otherFailures),
          new TreeMap<>(unavailableMessages),
          Math.max(0, (lastFailure - killed) / 1_000_000));
    }

    /** An error message without the ports and numbers that differ between runs. */
    private static String shape(String message) {
      if (message == null) return "";
      String s = message.replaceAll("[0-9]+", "N");
      return s.length() > 120 ? s.substring(0, 120) : s;
    }
  }
}
