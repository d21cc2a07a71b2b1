package dev.ferry.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@code storage.redis} section: where the Redis store lives and how Ferry lays out its keys.
 * Read by {@link RedisConfigReader}; used only when {@code storage.kind} is {@code "redis"}.
 *
 * @param endpoints {@code redis://[user:pass@]host:port[/db]} or {@code rediss://…}: the server
 *     (standalone), the sentinels (sentinel) or cluster seed nodes (cluster)
 * @param mode {@code standalone}, {@code sentinel} or {@code cluster}
 * @param masterName the monitored primary's name (sentinel mode only)
 * @param password used for endpoints whose URL names no password of its own (a URL's own
 *     credentials win: it is the more specific setting)
 * @param keyPrefix prepended to every key, so several Ferry deployments can share one Redis
 * @param partitions fixed number of partitions; recorded in Redis at first start and checked at
 *     every later one
 * @param waitReplicas 0 = a write completes once the primary has it; N = also once N replicas have
 *     it ({@code WAIT})
 * @param leaseTime how long a replica's lease on a partition lasts without renewal: the longest the
 *     partitions of a replica that died wait for a new owner (renewed every fifth of it)
 */
public record RedisConfig(
    List<String> endpoints,
    String mode,
    String masterName,
    String password,
    String keyPrefix,
    int partitions,
    int waitReplicas,
    Duration leaseTime) {
  public static final String STANDALONE = "standalone";
  public static final String SENTINEL = "sentinel";
  public static final String CLUSTER = "cluster";
  public static final List<String> MODES = List.of(STANDALONE, SENTINEL, CLUSTER);

  /** The most partitions: two base62 characters of a message id name one. */
  public static final int MAX_PARTITIONS = 1024;

  public static final RedisConfig DEFAULTS =
      new RedisConfig(List.of(), STANDALONE, "", "", "ferry:", 64, 0, Duration.ofSeconds(10));

  public RedisConfig {
    endpoints = List.copyOf(endpoints);
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(masterName, "masterName");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    Objects.requireNonNull(leaseTime, "leaseTime");
  }

  /** The same settings against other endpoints (tests point one config at a fresh server). */
  public RedisConfig withEndpoints(List<String> endpoints) {
    return new RedisConfig(
        endpoints, mode, masterName, password, keyPrefix, partitions, waitReplicas, leaseTime);
  }

  /** The same settings under another key prefix. */
  public RedisConfig withKeyPrefix(String keyPrefix) {
    return new RedisConfig(
        endpoints, mode, masterName, password, keyPrefix, partitions, waitReplicas, leaseTime);
  }

  /** The same settings with another partition count. */
  public RedisConfig withPartitions(int partitions) {
    return new RedisConfig(
        endpoints, mode, masterName, password, keyPrefix, partitions, waitReplicas, leaseTime);
  }

  /** The same settings with another lease time. */
  public RedisConfig withLeaseTime(Duration leaseTime) {
    return new RedisConfig(
        endpoints, mode, masterName, password, keyPrefix, partitions, waitReplicas, leaseTime);
  }

  /** The same settings in another mode ({@code masterName} is used by sentinel mode only). */
  public RedisConfig withMode(String mode, String masterName) {
    return new RedisConfig(
        endpoints, mode, masterName, password, keyPrefix, partitions, waitReplicas, leaseTime);
  }

  /** The same settings with another {@code waitReplicas}. */
  public RedisConfig withWaitReplicas(int waitReplicas) {
    return new RedisConfig(
        endpoints, mode, masterName, password, keyPrefix, partitions, waitReplicas, leaseTime);
  }

  /** Never prints the password (nor credentials inside the endpoints). */
  @Override
  public String toString() {
    return "RedisConfig[endpoints="
        + endpoints.stream().map(RedisConfigReader::redacted).toList()
        + ", mode="
        + mode
        + ", masterName="
        + masterName
        + ", keyPrefix="
        + keyPrefix
        + ", partitions="
        + partitions
        + ", waitReplicas="
        + waitReplicas
        + ", leaseTime="
        + leaseTime
        + "]";
  }
}
