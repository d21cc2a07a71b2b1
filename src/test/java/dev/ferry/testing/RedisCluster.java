package dev.ferry.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A Redis Cluster of three primaries (no replicas) as real {@code redis-server} processes on free
 * loopback ports, each with AOF fsynced per write, in a temp directory removed on close. Built with
 * {@code redis-cli --cluster create}; {@link #start} returns once every node reports {@code
 * cluster_state:ok}. A node can be killed with {@code -9} and started again on its port and files.
 * Used from one test thread.
 */
public final class RedisCluster implements AutoCloseable {
  public static final int SIZE = 3;

  /**
   * How long a node may be unreachable before the others call it failed: short, so that a test sees
   * the cluster go down (and come back) in seconds.
   */
  public static final Duration NODE_TIMEOUT = Duration.ofSeconds(2);

  private static final Duration FORMING = Duration.ofSeconds(60);

  private final Path dir;
  private final List<RedisNode> nodes = new ArrayList<>();

  private RedisCluster(Path dir) {
    this.dir = dir;
  }

  /** Starts three nodes, joins them into one cluster owning all 16384 slots, and waits for it. */
  public static RedisCluster start() throws IOException {
    RedisCluster cluster = new RedisCluster(Files.createTempDirectory("ferry-redis-cluster-"));
    try {
      List<Integer> ports = distinctFreePorts(2 * SIZE);
      for (int i = 0; i < SIZE; i++) {
        cluster.nodes.add(
            RedisNode.server(
                cluster.dir.resolve("node-" + i),
                ports.get(i),
                List.of(
                    "--cluster-enabled",
                    "yes",
                    "--cluster-config-file",
                    "nodes.conf",
                    // the bus port chosen like the client port: port + 10000, Redis's default, may
                    // be taken
                    "--cluster-port",
                    String.valueOf(ports.get(SIZE + i)),
                    "--cluster-node-timeout",
                    String.valueOf(NODE_TIMEOUT.toMillis()))));
      }
      List<String> create = new ArrayList<>(List.of("--cluster", "create"));
      cluster.nodes.forEach(n -> create.add("127.0.0.1:" + n.port()));
      create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
      String output = RedisNode.redisCli(create);
      if (!output.contains("All 16384 slots covered")) {
        fail(
            "redis-cli --cluster create did not cover every slot:\n" + output + cluster.describe());
      }
      cluster.awaitState("ok", FORMING);
      return cluster;
    } catch (IOException | RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  private static List<Integer> distinctFreePorts(int count) throws IOException {
    Set<Integer> ports = new HashSet<>();
    while (ports.size() < count) ports.add(Ports.freePort());
    return List.copyOf(ports);
  }

  public List<RedisNode> nodes() {
    return List.copyOf(nodes);
  }

  public RedisNode node(int index) {
    return nodes.get(index);
  }

  /**
   * The nodes as Ferry's {@code storage.redis.endpoints} takes them ({@code redis://127.0.0.1:p}).
   */
  public List<String> endpoints() {
    return nodes.stream().map(n -> "redis://127.0.0.1:" + n.port()).toList();
  }

  /** {@code kill -9} of node {@code index}; the others notice after {@link #NODE_TIMEOUT}. */
  public void kill9(int index) {
    nodes.get(index).kill9();
  }

  /**
   * Starts node {@code index} again on its port and files (it rejoins from its {@code nodes.conf}
   * and AOF) and waits until every node reports {@code cluster_state:ok}.
   */
  public void restart(int index) throws IOException {
    nodes.get(index).restart();
    awaitState("ok", FORMING);
  }

  /**
   * Waits until every running node's {@code CLUSTER INFO} reports {@code cluster_state:<state>}
   * ({@code ok} or {@code fail}); fails with the nodes' logs when time runs out.
   */
  public void awaitState(String state, Duration timeout) {
    try {
      Polls.within(timeout)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  nodes.stream()
                      .filter(RedisNode::isAlive)
                      .allMatch(n -> state.equals(clusterState(n))));
    } catch (ConditionTimeoutException e) {
      fail(
          "not every running node reports cluster_state:"
              + state
              + " within "
              + timeout
              + ": "
              + nodes.stream()
                  .map(n -> n.port() + "=" + (n.isAlive() ? clusterState(n) : "(stopped)"))
                  .collect(Collectors.joining(", "))
              + describe());
    }
  }

  private static String clusterState(RedisNode node) {
    return RedisNode.field(node.tryCli("CLUSTER", "INFO"), "cluster_state");
  }

  /**
   * The node that owns {@code key}'s slot, from a running node's {@code CLUSTER KEYSLOT} and {@code
   * CLUSTER NODES}.
   */
  public RedisNode ownerOf(String key) throws IOException {
    RedisNode any = nodes.stream().filter(RedisNode::isAlive).findFirst().orElseThrow();
    int slot = Integer.parseInt(any.cli("CLUSTER", "KEYSLOT", key));
    for (String line : any.cli("CLUSTER", "NODES").split("\n")) {
      // <id> <ip:port@bus> <flags> <primary> <ping> <pong> <epoch> <link> <slot ranges…>
      String[] fields = line.trim().split(" ");
      int port = Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1).split("@")[0]);
      for (int i = 8; i < fields.length; i++) {
        if (fields[i].startsWith("[")) continue; // a slot being migrated
        String[] range = fields[i].split("-");
        int from = Integer.parseInt(range[0]);
        int to = Integer.parseInt(range[range.length - 1]);
        if (slot >= from && slot <= to) {
          return nodes.stream().filter(n -> n.port() == port).findFirst().orElseThrow();
        }
      }
    }
    throw new IllegalStateException("no node owns slot " + slot + " of " + key + describe());
  }

  /** A failure-message suffix: every node's port, directory and the end of its log. */
  public String describe() {
    return nodes.stream().map(RedisNode::describe).collect(Collectors.joining());
  }

  /** Kills every node and removes the temp directory. */
  @Override
  public void close() throws IOException {
    nodes.forEach(RedisNode::close);
    RedisNode.deleteTree(dir);
  }
}
