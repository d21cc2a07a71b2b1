package dev.ferry.store.redis;

import dev.ferry.config.RedisConfig;
import dev.ferry.store.FlowControlPeers;
import dev.ferry.store.KeyRotations;
import dev.ferry.store.OwnerNudges;
import dev.ferry.store.PartitionOwnership;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.time.Duration;

/**
 * What makes a Redis store one replica among several: its partition leases, the ownership and
 * nudges built on them, and the client they use (their own, apart from the store's pool: leases
 * pipeline a round on one connection, and a subscribed connection can do nothing else). Started
 * when the stores open, stopped (handing every partition over) when they close.
 */
final class RedisReplica {
  /** How long a flow-control command waits for the replica that owns its key. */
  static final long FLOW_CONTROL_TIMEOUT_MILLIS = 2_000;

  private final Redis client;
  private final PartitionLeases leases;
  private final LeasedOwnership ownership;
  private final RedisNudges nudges;
  private final RedisFlowControlPeers flowControlPeers;
  private final RedisKeyRotations keyRotations;

  RedisReplica(
      Vertx vertx,
      RedisConfig config,
      RedisLink link,
      RedisKeys keys,
      Partitions partitions,
      String replicaId) {
    this.client = Redis.createClient(vertx, RedisLink.options(config));
    Duration lease = config.leaseTime();
    // a handover waits this long for attempts in flight: past it the new owner may repeat them
    this.leases =
        new PartitionLeases(
            vertx, client, keys, partitions.count(), replicaId, lease, lease.multipliedBy(3));
    this.ownership = new LeasedOwnership(leases, partitions);
    this.nudges = new RedisNudges(vertx, client, link, keys, partitions, leases);
    this.flowControlPeers =
        new RedisFlowControlPeers(
            vertx, client, link, keys, partitions, leases, FLOW_CONTROL_TIMEOUT_MILLIS);
    this.keyRotations =
        new RedisKeyRotations(vertx, client, link, keys, leases, FLOW_CONTROL_TIMEOUT_MILLIS);
  }

  PartitionLeases leases() {
    return leases;
  }

  PartitionOwnership ownership() {
    return ownership;
  }

  OwnerNudges nudges() {
    return nudges;
  }

  FlowControlPeers flowControlPeers() {
    return flowControlPeers;
  }

  KeyRotations keyRotations() {
    return keyRotations;
  }

  /**
   * Subscribes to nudges, flow-control commands and key rotations, then joins and takes a first
   * share of the partitions.
   */
  Future<Void> start() {
    return nudges
        .start()
        .compose(v -> flowControlPeers.start())
        .compose(v -> keyRotations.start())
        .compose(v -> leases.start());
  }

  /** Hands every partition over (see {@link PartitionLeases#stop}), then lets go of Redis. */
  Future<Void> stop() {
    nudges.stop();
    flowControlPeers.stop();
    keyRotations.stop();
    return leases.stop().eventually(client::close);
  }

  /**
   * Drops the connection of the leases and nudges without a handover, as a replica that died or was
   * cut off from Redis: its leases run out and other replicas take them over (tests).
   */
  Future<Void> cutOff() {
    nudges.stop();
    flowControlPeers.stop();
    keyRotations.stop();
    return client.close();
  }
}
