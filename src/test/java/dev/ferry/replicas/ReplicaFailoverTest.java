package dev.ferry.replicas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.crash.CrashChecker;
import dev.ferry.crash.LoadProducer;
import dev.ferry.crash.ProducerLog;
import dev.ferry.crash.Receipts;
import dev.ferry.testing.FerryReplicas;
import dev.ferry.testing.Polls;
import dev.ferry.testing.Sink;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three Ferry replicas (child JVMs) on one Redis under continuous ingest and delivery (a producer
 * per replica, some destinations slow so that attempts are in flight), one of them killed with
 * {@code -9} or restarted in turn with SIGTERM as a rollout does. Checked as the crash tests check
 * one process ({@link CrashChecker}): nothing acknowledged is lost, nothing unexpected arrives, a
 * redelivery keeps its message id, duplicates stay within what the killed replica can have had in
 * flight; and the partitions in Redis move to the others — after a kill within the lease time plus
 * one renewal round, after a SIGTERM without waiting for the lease at all. Prints the figures.
 */
@ExtendWith(VertxExtension.class)
class ReplicaFailoverTest {
  private static final int REPLICAS = 3;
  private static final int PARTITIONS = 16;
  private static final int DELIVERY_INSTANCES = 2;
  private static final int MAX_IN_FLIGHT = 64;

  /** What one replica can have in flight at a kill: the duplicates it may cause. */
  private static final int IN_FLIGHT_BOUND = DELIVERY_INSTANCES * MAX_IN_FLIGHT;

  private static final long SLOW_MILLIS = 800;

  @TempDir Path dir;

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void a_replica_killed_under_load_loses_nothing_and_its_partitions_move_within_the_lease(
      Vertx vertx) throws Exception {
    killRun(vertx, 1);
  }

  @Test
  @Tag("soak")
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void replicas_killed_one_after_another_under_load_lose_nothing(Vertx vertx) throws Exception {
    killRun(vertx, 5);
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void a_rolling_restart_loses_nothing_and_hands_partitions_over_without_waiting_for_the_lease(
      Vertx vertx) throws Exception {
    Duration lease = Duration.ofSeconds(10); // long, so that waiting for its expiry would show
    Load load = new Load(vertx);
    try (FerryReplicas replicas =
        FerryReplicas.start(vertx, dir, REPLICAS, PARTITIONS, lease, overrides())) {
      for (int i = 0; i < REPLICAS; i++) load.startOn(replicas, i);
      load.awaitSlowInFlight(200);
      for (int i = 0; i < REPLICAS; i++) {
        replicas.awaitBalanced(Duration.ofSeconds(30));
        Set<Integer> held = replicas.partitionsOf(i);
        load.stopOn(i); // a Service stops routing to a terminating pod
        long sent = System.nanoTime();
        replicas.replica(i).sigterm();
        long handover =
            replicas.awaitTakenOver(held, FerryReplicas.name(i), sent, Duration.ofSeconds(30));
        int status = replicas.replica(i).awaitExit(60_000);
        long exited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
        report(
            "rolling restart: %s (partitions %s) handed over %d ms after SIGTERM, exited %d ms"
                + " after it with status %d (lease %d ms)",
            FerryReplicas.name(i), held, handover, exited, status, lease.toMillis());
        assertTrue(
            handover < lease.toMillis(),
            "handover took " + handover + " ms: it waited for the lease to expire");
        replicas.restart(i);
        load.startOn(replicas, i);
        report("rolling restart: %s up again", FerryReplicas.name(i));
      }
      load.stopAll();
      report("rolling restart: load stopped, %d acknowledged", load.log.count(ProducerLog.Kind.OK));
      CrashChecker.Verdict v = load.awaitDelivered(replicas);
      report("rolling restart of %d replicas: %s", REPLICAS, v.summary());
      load.assertNothingLost(v);
      assertTrue(v.duplicates() <= (long) REPLICAS * IN_FLIGHT_BOUND, v.summary());
    }
  }

  private void killRun(Vertx vertx, int kills) throws Exception {
    Duration lease = Duration.ofSeconds(2);
    long round = lease.toMillis() / 5;
    Load load = new Load(vertx);
    try (FerryReplicas replicas =
        FerryReplicas.start(vertx, dir, REPLICAS, PARTITIONS, lease, overrides())) {
      for (int i = 0; i < REPLICAS; i++) load.startOn(replicas, i);
      for (int k = 0; k < kills; k++) {
        int victim = k % REPLICAS;
        replicas.awaitBalanced(Duration.ofSeconds(30));
        load.awaitSlowInFlight(300);
        Set<Integer> held = replicas.partitionsOf(victim);
        double inFlight = replicas.replica(victim).metric("ferry_delivery_in_flight");
        long killed = System.nanoTime();
        replicas.replica(victim).kill9();
        long takeover =
            replicas.awaitTakenOver(
                held, FerryReplicas.name(victim), killed, Duration.ofSeconds(20));
        load.stopOn(victim);
        report(
            "kill -9 of %s (partitions %s, %.0f attempts in flight just before): taken over"
                + " after %d ms (lease %d ms, renewal round %d ms)",
            FerryReplicas.name(victim), held, inFlight, takeover, lease.toMillis(), round);
        assertTrue(
            takeover <= lease.toMillis() + round + 300,
            "taken over only after " + takeover + " ms");
        load.awaitMoreAcknowledged(300); // the others go on taking messages in
        if (k + 1 < kills) {
          replicas.restart(victim);
          load.startOn(replicas, victim);
        }
      }
      load.stopAll();
      CrashChecker.Verdict v = load.awaitDelivered(replicas);
      report(
          "%d kill(s) of one of %d replicas: %s (duplicate bound %d per kill)",
          kills, REPLICAS, v.summary(), IN_FLIGHT_BOUND);
      if (!v.lost().isEmpty()) diagnose(replicas, v.lost());
      load.assertNothingLost(v);
      assertTrue(v.duplicates() <= (long) kills * IN_FLIGHT_BOUND, v.summary());
    }
  }

  /**
   * Prints where in Redis each lost message still is (which hashes, sorted sets, sets name it), and
   * the leases: whether it was deleted without a delivery or is stored but never scheduled.
   */
  private static void diagnose(FerryReplicas replicas, Set<String> lost) throws Exception {
    int port = replicas.redis().port();
    List<String> keys = redisCli(port, "--scan");
    for (String id : lost) {
      StringBuilder where = new StringBuilder();
      for (String key : keys) {
        String type = redisCli(port, "TYPE", key).get(0);
        List<String> hit =
            switch (type) {
              case "hash" ->
                  redisCli(port, "HSCAN", key, "0", "MATCH", "*" + id + "*", "COUNT", "100000");
              case "zset" ->
                  redisCli(port, "ZSCAN", key, "0", "MATCH", "*" + id + "*", "COUNT", "100000");
              case "set" ->
                  redisCli(port, "SSCAN", key, "0", "MATCH", "*" + id + "*", "COUNT", "100000");
              default -> List.of();
            };
        if (hit.size() > 1)
          where
              .append(" ")
              .append(key)
              .append("(")
              .append(type)
              .append(")=")
              .append(hit.subList(1, Math.min(hit.size(), 3)));
      }
      report("LOST %s found in:%s", id, where.length() == 0 ? " nowhere" : where);
    }
    report("leases: %s", redisCli(port, "--scan", "--pattern", "*lease*"));
  }

  private static List<String> redisCli(int port, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("redis-cli", "-p", String.valueOf(port)));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<String> out = new String(p.getInputStream().readAllBytes()).lines().toList();
    p.waitFor();
    return out;
  }

  private static JsonObject overrides() {
    return new JsonObject()
        .put(
            "delivery",
            new JsonObject().put("instances", DELIVERY_INSTANCES).put("maxInFlight", MAX_IN_FLIGHT))
        .put("logs", new JsonObject().put("enabled", false));
  }

  private static void report(String format, Object... args) {
    System.out.println(java.time.LocalTime.now() + " REPLICAS " + String.format(format, args));
  }

  /**
   * A producer per replica, all writing one {@link ProducerLog}; a quarter of the messages go to a
   * destination that answers after {@value #SLOW_MILLIS} ms, the rest to a fast one.
   */
  private static final class Load {
    private final Vertx vertx;
    private final ProducerLog log = new ProducerLog();
    private final Receipts receipts = new Receipts();
    private final Sink sink;
    private final Sink slowSink;
    private final LoadProducer[] producers = new LoadProducer[REPLICAS];
    private final List<LoadProducer> stopped = new ArrayList<>();
    private int generation;

    Load(Vertx vertx) throws Exception {
      this.vertx = vertx;
      sink = Sink.startBlocking(vertx);
      slowSink = Sink.startBlocking(vertx); // a host of its own: held connections queue no other
      receipts.record(sink, "/fast", r -> Sink.Reply.status(200));
      receipts.record(slowSink, "/slow", r -> new Sink.Reply(200, Map.of(), "", SLOW_MILLIS));
    }

    void startOn(FerryReplicas replicas, int i) {
      int[] n = {0};
      producers[i] =
          new LoadProducer(
                  vertx,
                  replicas.replica(i).port(),
                  log,
                  "g" + generation++ + "r" + i,
                  tag ->
                      new LoadProducer.Planned(
                          n[0]++ % 4 == 0 ? slowSink.url("/slow") : sink.url("/fast"), Map.of()))
              .start(0, 0, 1); // one request at a time: ingest stays within what delivery drains
    }

    void stopOn(int i) throws InterruptedException {
      producers[i].stop(30_000);
      stopped.add(producers[i]);
      producers[i] = null;
    }

    void stopAll() throws InterruptedException {
      for (int i = 0; i < REPLICAS; i++) if (producers[i] != null) stopOn(i);
    }

    /** Waits until {@code more} messages beyond those so far are acknowledged. */
    void awaitMoreAcknowledged(int more) {
      long target = log.count(ProducerLog.Kind.OK) + more;
      Polls.within(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(20))
          .alias(more + " more messages acknowledged")
          .until(() -> log.count(ProducerLog.Kind.OK) >= target);
    }

    /**
     * Waits until {@code acknowledged} messages are in and a slow attempt arrived less than half
     * its answer time ago (so some are certainly in flight).
     */
    void awaitSlowInFlight(int acknowledged) {
      awaitMoreAcknowledged(acknowledged);
      Polls.within(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(5))
          .alias("a slow attempt in flight")
          .until(
              () ->
                  receipts.count(
                          r ->
                              r.path().equals("/slow")
                                  && System.currentTimeMillis() - r.atMillis() < SLOW_MILLIS / 2)
                      > 0);
    }

    /** Waits until nothing acknowledged is missing and no live replica has an attempt running. */
    CrashChecker.Verdict awaitDelivered(FerryReplicas replicas) {
      CrashChecker.Verdict first = CrashChecker.awaitDelivered(log, receipts, 60_000);
      report("after the load: %s", first.summary());
      Polls.within(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .alias("no attempt in flight on any live replica")
          .until(
              () -> {
                for (int i = 0; i < replicas.count(); i++) {
                  if (replicas.replica(i).isAlive()
                      && replicas.replica(i).metric("ferry_delivery_in_flight") > 0) return false;
                }
                return true;
              });
      return CrashChecker.check(log, receipts);
    }

    void assertNothingLost(CrashChecker.Verdict v) {
      assertTrue(v.ok() > 0, v.summary());
      assertEquals(Set.of(), v.lost(), "acknowledged but never delivered; " + v.summary());
      assertEquals(Set.of(), v.unexpected(), "delivered but never published");
      assertEquals(Set.of(), v.tagsWithSeveralIds(), "a redelivery changed the message id");
    }
  }
}
