package dev.ferry.store.redis;

import dev.ferry.config.ConfigException;
import dev.ferry.config.RedisConfig;
import dev.ferry.store.DlqStore;
import dev.ferry.store.FlowControlStore;
import dev.ferry.store.MessageIds;
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

  private RedisStores(RedisLink link, RedisKeys keys, Partitions partitions) {
    this.link = link;
    this.keys = keys;
    this.ids = new RedisIds(partitions);
    this.messages = new RedisMessageStore(link, keys, partitions);
    this.dlq = new RedisDlqStore(link, keys, partitions);
    this.queues = new RedisQueueStore(link, keys);
    this.groups = new RedisUrlGroupStore(link, keys);
    this.signingKeys = new RedisSigningKeyStore(link, keys);
    this.flowControl = new RedisFlowControlStore(link, keys);
    this.schedules = new RedisScheduleStore(link, keys, partitions, messages);
    this.workflowRuns = new RedisWorkflowRunStore(link, keys, partitions);
  }

  /**
   * Connects and checks the partition count: the first start records it in Redis, every later start
   * must configure the same (the count is part of every message id and key). Fails with a {@link
   * ConfigException} naming both values when they differ, with a {@code StoreUnavailableException}
   * when Redis cannot be reached.
   */
  public static Future<RedisStores> open(Vertx vertx, RedisConfig config, StoreMetrics metrics) {
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
              return Future.succeededFuture(
                  new RedisStores(link, keys, new Partitions(partitions)));
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
  public FlowControlStore flowControl() {
    return flowControl;
  }

  @Override
  public WorkflowRunStore workflowRuns() {
    return workflowRuns;
  }

  @Override
  public MessageIds messageIds() {
    return ids;
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
    return link.close();
  }
}
