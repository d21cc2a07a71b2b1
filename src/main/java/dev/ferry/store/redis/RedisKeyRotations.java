package dev.ferry.store.redis;

import dev.ferry.store.KeyRotations;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link KeyRotations} over Redis pub/sub. A rotation is published on one channel every replica
 * listens on ({@link RedisKeys#keyRotations()}); PUBLISH answers how many replicas got it, each
 * reads the tenant's keys again and acknowledges on the rotating replica's own channel, and the
 * rotation completes with the last acknowledgement, or after {@code timeoutMillis} (a replica that
 * does not answer reads the keys within a second anyway, see {@code KeyRefresher}). Thread-safe.
 */
final class RedisKeyRotations implements KeyRotations {
  private static final Logger LOG = LoggerFactory.getLogger(RedisKeyRotations.class);

  private final Vertx vertx;
  private final RedisLink link;
  private final RedisKeys keys;
  private final PartitionLeases leases;
  private final long timeoutMillis;
  private final ChannelSubscription rotations;
  private final ChannelSubscription acks;
  private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
  private volatile Function<String, Future<?>> reread = tenant -> Future.succeededFuture();

  /**
   * A rotation waiting for its acknowledgements: how many came, and how many replicas got it (-1
   * until PUBLISH answers; acknowledgements may come first).
   */
  private record Waiting(Promise<Void> done, AtomicLong acked, AtomicLong expected) {
    boolean complete() {
      long e = expected.get();
      return e >= 0 && acked.get() >= e;
    }
  }

  RedisKeyRotations(
      Vertx vertx,
      Redis subscriber,
      RedisLink link,
      RedisKeys keys,
      PartitionLeases leases,
      long timeoutMillis) {
    this.vertx = vertx;
    this.link = link;
    this.keys = keys;
    this.leases = leases;
    this.timeoutMillis = timeoutMillis;
    this.rotations =
        new ChannelSubscription(
            vertx, subscriber, keys::keyRotations, "key rotations", this::rotatedElsewhere);
    this.acks =
        new ChannelSubscription(
            vertx,
            subscriber,
            () -> keys.keyRotationAcks(leases.replicaId()),
            "key rotation acknowledgements",
            this::acknowledged);
  }

  Future<Void> start() {
    return rotations.start().compose(v -> acks.start());
  }

  void stop() {
    rotations.stop();
    acks.stop();
  }

  @Override
  public void listen(Function<String, Future<?>> reread) {
    this.reread = reread;
  }

  @Override
  public Future<Void> rotated(String tenant) {
    String id = UUID.randomUUID().toString();
    Waiting w = new Waiting(Promise.promise(), new AtomicLong(), new AtomicLong(-1));
    waiting.put(id, w);
    long timer = vertx.setTimer(timeoutMillis, t -> finish(id, "timed out"));
    JsonObject announcement =
        new JsonObject().put("id", id).put("tenant", tenant).put("from", leases.replicaId());
    link.send(Request.cmd(Command.PUBLISH).arg(keys.keyRotations()).arg(announcement.encode()))
        .onSuccess(
            receivers -> {
              w.expected().set(receivers.toLong());
              if (w.complete()) finish(id, null);
            })
        .onFailure(e -> finish(id, "not announced: " + e.getMessage()));
    return w.done().future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  private void acknowledged(String payload) {
    try {
      String id = new JsonObject(payload).getString("id");
      Waiting w = waiting.get(id);
      if (w == null) return;
      w.acked().incrementAndGet();
      if (w.complete()) finish(id, null);
    } catch (RuntimeException e) {
      LOG.debug("a key rotation acknowledgement could not be read: {}", e.toString());
    }
  }

  private void finish(String id, String why) {
    Waiting w = waiting.remove(id);
    if (w == null) return;
    if (why != null)
      LOG.info(
          "key rotation {}: {}; replicas that missed it read the keys within a second", id, why);
    w.done().tryComplete();
  }

  /** Another replica (or this one) rotated: read the tenant's keys again, then acknowledge. */
  private void rotatedElsewhere(String payload) {
    JsonObject announcement;
    try {
      announcement = new JsonObject(payload);
    } catch (RuntimeException e) {
      LOG.debug("a key rotation could not be read: {}", e.toString());
      return;
    }
    String from = announcement.getString("from");
    JsonObject ack = new JsonObject().put("id", announcement.getString("id"));
    reread
        .apply(announcement.getString("tenant"))
        .onComplete(
            ar ->
                link.send(
                        Request.cmd(Command.PUBLISH)
                            .arg(keys.keyRotationAcks(from))
                            .arg(ack.encode()))
                    .onFailure(e -> LOG.debug("key rotation ack to {} not sent: {}", from, e)));
  }
}
