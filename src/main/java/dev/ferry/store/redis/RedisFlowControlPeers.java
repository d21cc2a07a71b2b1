package dev.ferry.store.redis;

import dev.ferry.model.FlowControlCommand;
import dev.ferry.model.FlowControlState;
import dev.ferry.store.FlowControlPeers;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link FlowControlPeers} over Redis pub/sub. Each replica subscribes to a channel of its own
 * ({@link RedisKeys#flowControlPeers}), which carries both the commands sent to it and the answers
 * to the commands it sent. A command for a key goes to the replica whose id the lease of the key's
 * partition holds ({@link Partitions#ofFlowControlKey}); a list goes to every live member. Each
 * request has an id, and the asker waits at most {@code timeoutMillis} for the answer with that id.
 * Payloads are JSON ({@link FlowControlWire}). Thread-safe; answers complete on the asker's
 * context.
 */
final class RedisFlowControlPeers implements FlowControlPeers {
  private static final Logger LOG = LoggerFactory.getLogger(RedisFlowControlPeers.class);

  private final Vertx vertx;
  private final RedisLink link;
  private final RedisKeys keys;
  private final Partitions partitions;
  private final PartitionLeases leases;
  private final long timeoutMillis;
  private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
  private volatile Answerer answerer;
  private final ChannelSubscription subscription;

  /** An asker's promise and the context its answer completes on. */
  private record Waiting(Promise<List<FlowControlState>> promise, Context context) {}

  RedisFlowControlPeers(
      Vertx vertx,
      Redis subscriber,
      RedisLink link,
      RedisKeys keys,
      Partitions partitions,
      PartitionLeases leases,
      long timeoutMillis) {
    this.vertx = vertx;
    this.link = link;
    this.keys = keys;
    this.partitions = partitions;
    this.leases = leases;
    this.subscription =
        new ChannelSubscription(
            vertx,
            subscriber,
            () -> keys.flowControlPeers(leases.replicaId()),
            "flow-control commands",
            this::received);
    this.timeoutMillis = timeoutMillis;
  }

  /** Subscribes to this replica's channel; completes once subscribed (or failed: retried later). */
  Future<Void> start() {
    return subscription.start();
  }

  void stop() {
    subscription.stop();
  }

  @Override
  public void answerWith(Answerer answerer) {
    this.answerer = answerer;
  }

  @Override
  public Future<List<FlowControlState>> askOwner(String tenant, FlowControlCommand command) {
    int partition = partitions.ofFlowControlKey(tenant, command.key());
    return link.send(Request.cmd(Command.GET).arg(keys.lease(partition)))
        .recover(e -> Future.failedFuture(FlowControlPeers.unreachable(command.key())))
        .compose(
            lease -> {
              String holder = lease == null ? null : holderOf(lease.toString());
              if (holder == null || holder.equals(leases.replicaId())) {
                // nobody holds it, or this replica is handing it over: ownership is moving
                return Future.failedFuture(FlowControlPeers.unreachable(command.key()));
              }
              return ask(holder, tenant, command);
            });
  }

  @Override
  public Future<List<FlowControlState>> askOthers(String tenant, FlowControlCommand list) {
    List<Future<List<FlowControlState>>> answers = new ArrayList<>();
    for (String member : leases.members()) {
      if (member.equals(leases.replicaId())) continue;
      answers.add(
          ask(member, tenant, list)
              .recover(
                  e -> {
                    LOG.debug("replica {} did not list its flow-control keys: {}", member, e);
                    return Future.succeededFuture(List.of());
                  }));
    }
    return Future.join(answers)
        .transform(
            ignored -> {
              List<FlowControlState> all = new ArrayList<>();
              answers.forEach(a -> all.addAll(a.result()));
              return Future.succeededFuture(all);
            });
  }

  /** The replica id in a lease value {@code <replica id>:<token>}. */
  static String holderOf(String lease) {
    int colon = lease.lastIndexOf(':');
    return colon <= 0 ? null : lease.substring(0, colon);
  }

  private Future<List<FlowControlState>> ask(
      String replica, String tenant, FlowControlCommand command) {
    String id = UUID.randomUUID().toString();
    Context context = vertx.getOrCreateContext();
    Promise<List<FlowControlState>> promise = Promise.promise();
    waiting.put(id, new Waiting(promise, context));
    long timer =
        vertx.setTimer(
            timeoutMillis,
            t -> settle(id, Future.failedFuture(FlowControlPeers.unreachable(command.key()))));
    JsonObject request = FlowControlWire.request(id, leases.replicaId(), tenant, command);
    link.send(
            Request.cmd(Command.PUBLISH).arg(keys.flowControlPeers(replica)).arg(request.encode()))
        .onSuccess(
            receivers -> {
              // nobody subscribed: the replica is gone, so waiting would only cost time
              if (receivers.toLong() == 0) {
                settle(id, Future.failedFuture(FlowControlPeers.unreachable(command.key())));
              }
            })
        .onFailure(
            e -> settle(id, Future.failedFuture(FlowControlPeers.unreachable(command.key()))));
    return promise.future().onComplete(r -> vertx.cancelTimer(timer));
  }

  /** Completes the asker waiting for {@code id}, on its context; later answers are ignored. */
  private void settle(String id, Future<List<FlowControlState>> outcome) {
    Waiting w = waiting.remove(id);
    if (w != null) w.context().runOnContext(v -> w.promise().handle(outcome));
  }

  private void received(String text) {
    try {
      JsonObject payload = new JsonObject(text);
      if (FlowControlWire.isAnswer(payload)) {
        settle(FlowControlWire.id(payload), FlowControlWire.outcome(payload));
      } else {
        answer(payload);
      }
    } catch (RuntimeException e) {
      LOG.warn("a flow-control message could not be read: {}", e.toString());
    }
  }

  /** Runs another replica's command here and publishes the outcome on its channel. */
  private void answer(JsonObject request) {
    Answerer a = answerer;
    String id = FlowControlWire.id(request);
    String from = FlowControlWire.from(request);
    Future<List<FlowControlState>> outcome;
    try {
      outcome =
          a == null
              ? Future.failedFuture("this replica is starting")
              : a.answer(FlowControlWire.tenant(request), FlowControlWire.command(request));
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    outcome.onComplete(
        r ->
            link.send(
                    Request.cmd(Command.PUBLISH)
                        .arg(keys.flowControlPeers(from))
                        .arg(FlowControlWire.answer(id, r).encode()))
                .onFailure(e -> LOG.debug("flow-control answer to {} not sent: {}", from, e)));
  }
}
