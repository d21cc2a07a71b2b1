package dev.ferry.testing;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Several Ferry replicas, each a child JVM ({@link FerryProcess}), sharing one real {@code
 * redis-server} (AOF {@code always}) as a deployment of stateless replicas does: each is started
 * with nothing but {@code FERRY_STORAGE_KIND=redis} and {@code FERRY_STORAGE_REDIS_ENDPOINTS} (plus
 * a short lease and a small partition count), and {@code HOSTNAME=replica-N} so that the partition
 * leases in Redis say which replica holds them. Replica {@code i} (from 0) is named {@code
 * replica-(i+1)}. Used from one test thread; {@link #close} kills what still runs and stops Redis.
 */
public final class FerryReplicas implements AutoCloseable {
  private final RedisServer redis;
  private final Redis client;
  private final List<FerryProcess> replicas;
  private final List<Map<String, String>> environments;
  private final int partitions;
  private final Duration lease;

  private FerryReplicas(
      RedisServer redis,
      Redis client,
      List<FerryProcess> replicas,
      List<Map<String, String>> environments,
      int partitions,
      Duration lease) {
    this.redis = redis;
    this.client = client;
    this.replicas = replicas;
    this.environments = environments;
    this.partitions = partitions;
    this.lease = lease;
  }

  /**
   * Starts Redis and {@code count} replicas with {@code overrides} merged into each one's
   * configuration (see {@link FerryProcess#create}), and waits until each answers and every
   * partition has an owner.
   */
  public static FerryReplicas start(
      Vertx vertx, Path dir, int count, int partitions, Duration lease, JsonObject overrides)
      throws Exception {
    RedisServer redis = RedisServer.start();
    List<FerryProcess> replicas = new ArrayList<>();
    List<Map<String, String>> environments = new ArrayList<>();
    FerryReplicas all =
        new FerryReplicas(
            redis,
            Redis.createClient(vertx, redis.url()),
            replicas,
            environments,
            partitions,
            lease);
    try {
      for (int i = 0; i < count; i++) {
        replicas.add(
            FerryProcess.create(
                vertx, java.nio.file.Files.createDirectories(dir.resolve(name(i))), overrides));
        environments.add(
            Map.of(
                "FERRY_STORAGE_KIND", "redis",
                "FERRY_STORAGE_REDIS_ENDPOINTS", redis.url(),
                "FERRY_STORAGE_REDIS_LEASE_TIME", lease.toMillis() + "ms",
                "FERRY_STORAGE_REDIS_PARTITIONS", String.valueOf(partitions),
                "HOSTNAME", name(i)));
      }
      for (int i = 0; i < count; i++) replicas.get(i).start(environments.get(i));
      for (FerryProcess replica : replicas) replica.awaitUp(90_000);
      all.awaitEveryPartitionHeld(Duration.ofSeconds(30));
      return all;
    } catch (Exception | AssertionError e) {
      all.close();
      throw e;
    }
  }

  /** {@code replica-(i+1)}: the replica's HOSTNAME and so the start of its lease values. */
  public static String name(int i) {
    return "replica-" + (i + 1);
  }

  public FerryProcess replica(int i) {
    return replicas.get(i);
  }

  public int count() {
    return replicas.size();
  }

  public int partitions() {
    return partitions;
  }

  public Duration lease() {
    return lease;
  }

  public RedisServer redis() {
    return redis;
  }

  /** Starts replica {@code i} again (after a kill or stop) and waits until it answers. */
  public void restart(int i) throws Exception {
    replicas.get(i).start(environments.get(i));
    replicas.get(i).awaitUp(90_000);
  }

  /**
   * The replica holding each partition's lease in Redis right now ({@link #name}), or null where no
   * lease is held.
   */
  public List<String> holders() throws Exception {
    Request mget = Request.cmd(Command.MGET);
    for (int p = 0; p < partitions; p++) mget.arg("ferry:{ferry:p" + p + "}:lease");
    Response values = client.send(mget).await(5, TimeUnit.SECONDS);
    List<String> holders = new ArrayList<>(partitions);
    for (int p = 0; p < partitions; p++) holders.add(replicaOf(values.get(p)));
    return holders;
  }

  /** The partitions whose lease replica {@code i} holds right now. */
  public Set<Integer> partitionsOf(int i) throws Exception {
    return partitionsOf(holders(), name(i));
  }

  public static Set<Integer> partitionsOf(List<String> holders, String replica) {
    Set<Integer> held = new TreeSet<>();
    for (int p = 0; p < holders.size(); p++) if (replica.equals(holders.get(p))) held.add(p);
    return held;
  }

  /** Waits until every partition's lease is held, by a replica that is alive. */
  public void awaitEveryPartitionHeld(Duration timeout) {
    Polls.within(timeout)
        .pollInterval(Duration.ofMillis(50))
        .alias("every partition leased by a live replica")
        .until(
            () -> {
              List<String> holders = holders();
              for (String holder : holders) {
                if (holder == null || !replicas.get(indexOf(holder)).isAlive()) return false;
              }
              return true;
            });
  }

  /** Waits until each live replica holds at least one partition and every partition is held. */
  public void awaitBalanced(Duration timeout) {
    Polls.within(timeout)
        .pollInterval(Duration.ofMillis(50))
        .alias("every live replica holding partitions")
        .until(
            () -> {
              List<String> holders = holders();
              if (holders.contains(null)) return false;
              for (int i = 0; i < replicas.size(); i++) {
                if (replicas.get(i).isAlive() && partitionsOf(holders, name(i)).isEmpty())
                  return false;
              }
              return true;
            });
  }

  /**
   * Polls the leases until none of {@code partitions} is held by {@code replica} and each is held
   * by another; the milliseconds from {@code sinceNanos} (a {@link System#nanoTime}) until then.
   */
  public long awaitTakenOver(Set<Integer> partitions, String replica, long sinceNanos, Duration d) {
    Polls.within(d)
        .pollInterval(Duration.ofMillis(10))
        .alias("partitions " + partitions + " of " + replica + " taken over")
        .until(
            () -> {
              List<String> holders = holders();
              for (int p : partitions) {
                String holder = holders.get(p);
                if (holder == null || holder.equals(replica)) return false;
              }
              return true;
            });
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
  }

  private static String replicaOf(Response value) {
    if (value == null) return null;
    String text = value.toString(); // "<HOSTNAME>-<random>:<token>"
    return text.substring(0, text.lastIndexOf('-', text.lastIndexOf(':')));
  }

  private int indexOf(String replica) {
    return Integer.parseInt(replica.substring("replica-".length())) - 1;
  }

  /** Kills every replica still running, then Redis. */
  @Override
  public void close() throws IOException, InterruptedException {
    for (FerryProcess replica : replicas) replica.close();
    client.close();
    redis.close();
  }
}
