package dev.ferry.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A Redis primary, one replica and three sentinels watching them (quorum 2), as real processes on
 * free loopback ports in a temp directory removed on close; data nodes run with AOF fsynced per
 * write. {@link #start} returns once the replica is in sync and the three sentinels agree on the
 * primary and know the replica and each other. {@link #failover} kills the primary with {@code -9}
 * and waits until the sentinels have promoted the replica. Used from one test thread.
 */
public final class RedisSentinels implements AutoCloseable {
  /**
   * The name the sentinels monitor the primary under (Ferry's {@code storage.redis.masterName}).
   */
  public static final String MASTER_NAME = "ferry";

  /**
   * How long the primary may be unreachable before a sentinel calls it down: short, so that a
   * failover takes seconds, but not so short that a data node stalled on a loaded 2-core machine (1
   * s happened in CI) is failed over when no test asked for it.
   */
  public static final Duration DOWN_AFTER = Duration.ofSeconds(3);

  private static final Duration SETTLING = Duration.ofSeconds(60);

  /**
   * Either data node may be primary: neither waits (5 s by default) for more replicas before it
   * sends a replica its first full sync.
   */
  private static final List<String> NO_SYNC_DELAY = List.of("--repl-diskless-sync-delay", "0");

  private final Path dir;
  private final List<RedisNode> dataNodes = new ArrayList<>();
  private final List<RedisNode> sentinels = new ArrayList<>();
  private RedisNode primary;
  private RedisNode replica;

  private RedisSentinels(Path dir) {
    this.dir = dir;
  }

  /** Starts the primary, the replica and three sentinels, and waits until they agree. */
  public static RedisSentinels start() throws IOException {
    RedisSentinels set = new RedisSentinels(Files.createTempDirectory("ferry-redis-sentinel-"));
    try {
      int primaryPort = Ports.freePort();
      set.primary = RedisNode.server(set.dir.resolve("data-0"), primaryPort, NO_SYNC_DELAY);
      set.dataNodes.add(set.primary);
      int replicaPort = freePortOtherThan(set.ports());
      set.replica =
          RedisNode.server(
              set.dir.resolve("data-1"),
              replicaPort,
              concat(NO_SYNC_DELAY, "--replicaof", "127.0.0.1", String.valueOf(primaryPort)));
      set.dataNodes.add(set.replica);
      for (int i = 0; i < 3; i++) {
        int port = freePortOtherThan(set.ports());
        set.sentinels.add(
            RedisNode.sentinel(set.dir.resolve("sentinel-" + i), port, config(primaryPort)));
      }
      set.awaitSettled(SETTLING);
      return set;
    } catch (IOException | RuntimeException | Error e) {
      set.close();
      throw e;
    }
  }

  private static String config(int primaryPort) {
    String m = MASTER_NAME;
    return String.join(
        "\n",
        "sentinel monitor " + m + " 127.0.0.1 " + primaryPort + " 2",
        "sentinel down-after-milliseconds " + m + " " + DOWN_AFTER.toMillis(),
        // also the pause before a second attempt when a vote is split: keep it short
        "sentinel failover-timeout " + m + " 5000",
        "sentinel parallel-syncs " + m + " 1",
        "");
  }

  private static List<String> concat(List<String> first, String... more) {
    List<String> all = new ArrayList<>(first);
    all.addAll(List.of(more));
    return all;
  }

  private List<Integer> ports() {
    return Stream.concat(dataNodes.stream(), sentinels.stream()).map(RedisNode::port).toList();
  }

  private static int freePortOtherThan(List<Integer> taken) throws IOException {
    int port = Ports.freePort();
    while (taken.contains(port)) port = Ports.freePort();
    return port;
  }

  /** The data node the sentinels currently call the primary. */
  public RedisNode primary() {
    return primary;
  }

  /**
   * The data node currently replicating from the primary (down after a failover, until restarted).
   */
  public RedisNode replica() {
    return replica;
  }

  public List<RedisNode> sentinels() {
    return List.copyOf(sentinels);
  }

  /** The sentinels as Ferry's {@code storage.redis.endpoints} takes them in sentinel mode. */
  public List<String> sentinelEndpoints() {
    return sentinels.stream().map(s -> "redis://127.0.0.1:" + s.port()).toList();
  }

  /**
   * Kills the primary with {@code -9} and waits until every sentinel names the replica as the
   * primary and the replica says it is one; returns the new primary's port. The old primary stays
   * down: {@link RedisNode#restart} on {@link #replica()} brings it back, and the sentinels turn it
   * into a replica of the new primary.
   */
  public int failover(Duration timeout) {
    RedisNode old = primary;
    old.kill9();
    primary = replica;
    replica = old;
    awaitPrimary(primary, timeout);
    return primary.port();
  }

  /**
   * Waits until the old primary, started again after a {@link #failover}, replicates from the new
   * one and the sentinels know it as a replica again.
   */
  public void awaitReplicaBack(Duration timeout) {
    awaitSettled(timeout);
  }

  private void awaitPrimary(RedisNode expected, Duration timeout) {
    try {
      Polls.within(timeout)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  sentinels.stream().allMatch(s -> primaryPort(s) == expected.port())
                      && "master".equals(expected.info("replication", "role")));
    } catch (ConditionTimeoutException e) {
      fail(
          "the sentinels did not promote :"
              + expected.port()
              + " within "
              + timeout
              + "; they name "
              + sentinels.stream()
                  .map(s -> s.port() + "→" + primaryPort(s))
                  .collect(Collectors.joining(", "))
              + describe());
    }
  }

  /**
   * The replica is in sync, and every sentinel names the primary, knows one replica and the two
   * other sentinels.
   */
  private void awaitSettled(Duration timeout) {
    try {
      Polls.within(timeout)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  "up".equals(replica.info("replication", "master_link_status"))
                      && sentinels.stream().allMatch(this::agrees));
    } catch (ConditionTimeoutException e) {
      fail(
          "primary :"
              + primary.port()
              + " and replica :"
              + replica.port()
              + " did not settle within "
              + timeout
              + "; sentinels say:\n"
              + sentinels.stream()
                  .map(s -> s.port() + ": " + s.tryCli("SENTINEL", "MASTER", MASTER_NAME))
                  .collect(Collectors.joining("\n"))
              + describe());
    }
  }

  private boolean agrees(RedisNode sentinel) {
    // SENTINEL MASTER answers name/value pairs, one a line in redis-cli's raw output
    List<String> pairs = sentinel.tryCli("SENTINEL", "MASTER", MASTER_NAME).lines().toList();
    return primaryPort(sentinel) == primary.port()
        && "master".equals(valueOf(pairs, "flags"))
        && "1".equals(valueOf(pairs, "num-slaves"))
        && "2".equals(valueOf(pairs, "num-other-sentinels"))
        && sentinelSeesReplicaUp(sentinel);
  }

  private boolean sentinelSeesReplicaUp(RedisNode sentinel) {
    List<String> pairs = sentinel.tryCli("SENTINEL", "REPLICAS", MASTER_NAME).lines().toList();
    return String.valueOf(replica.port()).equals(valueOf(pairs, "port"))
        && "slave".equals(valueOf(pairs, "flags"));
  }

  private static String valueOf(List<String> pairs, String name) {
    for (int i = 0; i + 1 < pairs.size(); i += 2) {
      if (pairs.get(i).equals(name)) return pairs.get(i + 1);
    }
    return "";
  }

  /** The primary's port as {@code sentinel} names it, or -1 if it does not answer. */
  private static int primaryPort(RedisNode sentinel) {
    List<String> address =
        sentinel.tryCli("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME).lines().toList();
    return address.size() == 2 && address.get(1).matches("\\d+")
        ? Integer.parseInt(address.get(1))
        : -1;
  }

  /** A failure-message suffix: every process's port, directory and the end of its log. */
  public String describe() {
    return Stream.concat(dataNodes.stream(), sentinels.stream())
        .map(RedisNode::describe)
        .collect(Collectors.joining());
  }

  /** Kills every process and removes the temp directory. */
  @Override
  public void close() throws IOException {
    sentinels.forEach(RedisNode::close);
    dataNodes.forEach(RedisNode::close);
    RedisNode.deleteTree(dir);
  }
}
