package dev.ferry.store.redis;

import dev.ferry.config.ConfigException;
import dev.ferry.config.RedisConfig;
import dev.ferry.store.DlqStore;
import dev.ferry.store.FlowControlPeers;
import dev.ferry.store.FlowControlStore;
import dev.ferry.store.KeyRotations;
import dev.ferry.store.MessageIds;
import dev.ferry.store.OwnerNudges;
import dev.ferry.store.PartitionOwnership;
import dev.ferry.store.QueueStore;
import dev.ferry.store.ScheduleStore;
import dev.ferry.store.SigningKeyStore;
import dev.ferry.store.StoreMetrics;
import dev.ferry.store.Stores;
import dev.ferry.store.UrlGroupStore;
import dev.ferry.store.WorkflowRunStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Every store on one Redis ({@code storage.kind: "redis"}): opened by {@code StoreBackends}, which
 * also opens the message log. Nothing is kept on local disk. Redis being unreachable makes calls
 * fail with {@code StoreUnavailableException} and {@link #probeWrite} (readiness) fail; nothing
 * makes the stores {@link #unrecoverable}: a restart of Ferry does not bring Redis back.
 */
public final class RedisStores implements Stores {
  private final RedisLink link;
  private final RedisKeys keys;
  private final MessageIds ids;
  private final RedisMessageStore messages;
  private final RedisDlqStore dlq;
  private final QueueStore queues;
  private final UrlGroupStore groups;
  private final SigningKeyStore signingKeys;
  private final FlowControlStore flowControl;
  private final ScheduleStore schedules;
  private final WorkflowRunStore workflowRuns;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Leases, ownership and nudges when this is one replica among several, else null. */
  private final RedisReplica replica;

  private RedisStores(RedisLink link, RedisKeys keys, Partitions partitions, RedisReplica replica) {
    this.link = link;
    this.keys = keys;
    this.replica = replica;
    this.ids = new RedisIds(partitions);
    this.messages =
        replica == null
            ? new RedisMessageStore(link, keys, partitions, Fences.NONE)
            : new RedisMessageStore(
                link, keys, partitions, replica.leases()::fence, replica.leases()::owns);
    this.dlq = new RedisDlqStore(link, keys, partitions);
    this.queues = new RedisQueueStore(link, keys);
    this.groups = new RedisUrlGroupStore(link, keys);
    this.signingKeys = new RedisSigningKeyStore(link, keys);
    this.flowControl = new RedisFlowControlStore(link, keys);
    this.schedules = new RedisScheduleStore(link, keys, partitions, messages);
    this.workflowRuns = new RedisWorkflowRunStore(link, keys, partitions, messages);
  }

  /**
   * Connects and checks the partition count: the first start records it in Redis, every later start
   * must configure the same (the count is part of every message id and key). Fails with a {@link
   * ConfigException} naming both values when they differ, with a {@code StoreUnavailableException}
   * when Redis cannot be reached.
   */
  public static Future<RedisStores> open(Vertx vertx, RedisConfig config, StoreMetrics metrics) {
    return open(vertx, config, metrics, null);
  }

  /**
   * {@link #open} as one replica among several sharing the Redis: joins the members, takes a share
   * of the partition leases (see {@code PartitionLeases}) and subscribes to nudges before it
   * completes; delivery writes are fenced by the leases and {@link #ownership} says what this
   * replica delivers. {@link #close} hands its partitions over.
   *
   * @param replicaId unique among the live replicas (see {@link #newReplicaId})
   */
  public static Future<RedisStores> openReplica(
      Vertx vertx, RedisConfig config, StoreMetrics metrics, String replicaId) {
    return open(vertx, config, metrics, replicaId)
        .compose(
            stores ->
                stores
                    .replica
                    .start()
                    .map(stores)
                    .recover(e -> stores.close().transform(ignored -> Future.failedFuture(e))));
  }

  /**
   * A replica id: the host name (the pod's name in Kubernetes, from {@code HOSTNAME}) and a random
   * suffix, so a restarted pod never reuses the leases of its predecessor.
   */
  public static String newReplicaId() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) host = "ferry";
    String suffix = Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36);
    return host.replace(':', '-') + "-" + suffix.replace("-", "");
  }

  private static Future<RedisStores> open(
      Vertx vertx, RedisConfig config, StoreMetrics metrics, String replicaId) {
    RedisLink link = RedisLink.create(vertx, config, metrics);
    RedisKeys keys = new RedisKeys(config.keyPrefix());
    int partitions = config.partitions();
    return link.send(Request.cmd(Command.SET).arg(keys.partitionCount()).arg(partitions).arg("NX"))
        .compose(set -> link.send(Request.cmd(Command.GET).arg(keys.partitionCount())))
        .compose(
            stored -> {
              int recorded = Integer.parseInt(stored.toString());
              if (recorded != partitions) {
                return Future.<RedisStores>failedFuture(
                    new ConfigException(
                        "storage.redis.partitions: is "
                            + partitions
                            + " but the data under key prefix \""
                            + config.keyPrefix()
                            + "\" was written with "
                            + recorded
                            + " partitions; the count cannot change once data exists"));
              }
              Partitions parts = new Partitions(partitions);
              RedisReplica replica =
                  replicaId == null
                      ? null
                      : new RedisReplica(vertx, config, link, keys, parts, replicaId);
              RedisStores stores = new RedisStores(link, keys, parts, replica);
              // a Redis written by a Ferry that kept no pending counts gets them here, once
              return stores.messages.initPendingCounts().map(counted -> stores);
            })
        .recover(e -> link.close().transform(ignored -> Future.failedFuture(e)));
  }

  @Override
  public RedisMessageStore messages() {
    return messages;
  }

  @Override
  public DlqStore dlq() {
    return dlq;
  }

  @Override
  public QueueStore queues() {
    return queues;
  }

  @Override
  public UrlGroupStore urlGroups() {
    return groups;
  }

  @Override
  public SigningKeyStore signingKeys() {
    return signingKeys;
  }

  @Override
  public ScheduleStore schedules() {
    return schedules;
  }

  @Override
  public WorkflowRunStore workflowRuns() {
    return workflowRuns;
  }

  @Override
  public FlowControlStore flowControl() {
    return flowControl;
  }

  @Override
  public MessageIds messageIds() {
    return ids;
  }

  @Override
  public PartitionOwnership ownership() {
    return replica == null ? PartitionOwnership.everything() : replica.ownership();
  }

  @Override
  public OwnerNudges nudges() {
    return replica == null ? OwnerNudges.NONE : replica.nudges();
  }

  @Override
  public FlowControlPeers flowControlPeers() {
    return replica == null ? FlowControlPeers.NONE : replica.flowControlPeers();
  }

  @Override
  public KeyRotations keyRotations() {
    return replica == null ? KeyRotations.NONE : replica.keyRotations();
  }

  /** The replica's leases and nudges, or null when the stores were not opened as a replica. */
  RedisReplica replica() {
    return replica;
  }

  /**
   * Lets go of the partition leases without a handover, as a replica that died or was cut off from
   * Redis would (tests of takeover); the stores still answer.
   */
  public Future<Void> cutOffLeases() {
    return replica == null ? Future.succeededFuture() : replica.cutOff();
  }

  /** A SET (plus WAIT with {@code waitReplicas}): fails while Redis cannot take writes. */
  @Override
  public Future<Void> probeWrite() {
    return link.writeCommand(
            Request.cmd(Command.SET).arg(keys.probe()).arg(System.currentTimeMillis()))
        .mapEmpty();
  }

  RedisLink link() {
    return link;
  }

  RedisKeys keys() {
    return keys;
  }

  @Override
  public Future<Void> close() {
    if (!closed.compareAndSet(false, true)) return Future.succeededFuture();
    // the handover's last writes (releasing the leases) go first, the store's pool after them
    Future<Void> handedOver = replica == null ? Future.succeededFuture() : replica.stop();
    return handedOver.eventually(link::close);
  }
}
