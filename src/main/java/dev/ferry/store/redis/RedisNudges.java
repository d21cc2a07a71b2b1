package dev.ferry.store.redis;

import dev.ferry.model.DueEntry;
import dev.ferry.model.Message;
import dev.ferry.store.OwnerNudges;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link OwnerNudges} over Redis pub/sub: each replica subscribes to a channel of its own ({@link
 * RedisKeys#nudges}); a nudge about partition P goes to the replica that should own P as of the
 * last lease round ({@link PartitionLeases#expectedOwner}), and nowhere when this replica owns P
 * itself. A nudge sent to a replica that does not own P (ownership moving) is dropped there: the
 * new owner reads the store when it gains P. A payload is a JSON array of records: {@code ["d",
 * dueAt, id]} (an unqueued message), {@code ["q", tenant, queue]} (messages in a queue), {@code
 * ["c", id]} (cancelled), {@code ["Q", tenant, queue]} (a queue changed), {@code ["S", tenant,
 * scheduleId]}. Thread-safe; sending never waits.
 */
final class RedisNudges implements OwnerNudges {
  private static final Logger LOG = LoggerFactory.getLogger(RedisNudges.class);

  private final RedisLink link;
  private final RedisKeys keys;
  private final Partitions partitions;
  private final PartitionLeases leases;
  private volatile Receiver receiver;
  private final ChannelSubscription subscription;

  RedisNudges(
      Vertx vertx,
      Redis subscriber,
      RedisLink link,
      RedisKeys keys,
      Partitions partitions,
      PartitionLeases leases) {
    this.link = link;
    this.keys = keys;
    this.partitions = partitions;
    this.leases = leases;
    this.subscription =
        new ChannelSubscription(
            vertx, subscriber, () -> keys.nudges(leases.replicaId()), "nudges", this::received);
  }

  /** Subscribes to this replica's channel; completes once subscribed (or failed: retried later). */
  Future<Void> start() {
    return subscription.start();
  }

  void stop() {
    subscription.stop();
  }

  @Override
  public void listen(Receiver receiver) {
    this.receiver = receiver;
  }

  @Override
  public void stored(List<Message> messages) {
    Map<String, Set<List<Object>>> byOwner = new LinkedHashMap<>();
    for (Message m : messages) {
      String owner = ownerElsewhere(partitions.ofId(m.id()));
      if (owner == null) continue;
      List<Object> record =
          m.queued() ? List.of("q", m.tenant(), m.queueName()) : List.of("d", m.dueAt(), m.id());
      byOwner.computeIfAbsent(owner, k -> new LinkedHashSet<>()).add(record);
    }
    byOwner.forEach((owner, records) -> publish(owner, new ArrayList<>(records)));
  }

  @Override
  public void cancelled(String messageId) {
    send(partitions.ofId(messageId), List.of("c", messageId));
  }

  @Override
  public void queueChanged(String tenant, String queue) {
    send(partitions.ofQueue(tenant, queue), List.of("Q", tenant, queue));
  }

  @Override
  public void scheduleChanged(String tenant, String scheduleId) {
    send(partitions.ofSchedule(scheduleId), List.of("S", tenant, scheduleId));
  }

  private void send(int partition, List<Object> record) {
    String owner = ownerElsewhere(partition);
    if (owner != null) publish(owner, List.of(record));
  }

  /** The replica to tell about work in the partition, or null when there is none but this one. */
  private String ownerElsewhere(int partition) {
    if (leases.owns(partition)) return null;
    String owner = leases.expectedOwner(partition);
    return owner == null || owner.equals(leases.replicaId()) ? null : owner;
  }

  private void publish(String owner, List<List<Object>> records) {
    JsonArray payload = new JsonArray();
    records.forEach(r -> payload.add(new JsonArray(r)));
    link.send(Request.cmd(Command.PUBLISH).arg(keys.nudges(owner)).arg(payload.encode()))
        .onFailure(e -> LOG.debug("nudge to {} not sent: {}", owner, e.getMessage()));
  }

  private void received(String payload) {
    Receiver r = receiver;
    if (r == null) return;
    try {
      List<DueEntry> due = new ArrayList<>();
      for (Object o : new JsonArray(payload)) {
        JsonArray record = (JsonArray) o;
        switch (record.getString(0)) {
          case "d" -> due.add(new DueEntry(record.getLong(1), record.getString(2)));
          case "q" -> r.queueNudged(record.getString(1), record.getString(2));
          case "c" -> r.cancelled(record.getString(1));
          case "Q" -> r.queueChanged(record.getString(1), record.getString(2));
          case "S" -> r.scheduleChanged(record.getString(1), record.getString(2));
          default -> LOG.debug("unknown nudge {}", record);
        }
      }
      if (!due.isEmpty()) r.due(due);
    } catch (RuntimeException e) {
      LOG.warn("a nudge could not be read: {}", e.toString());
    }
  }
}
