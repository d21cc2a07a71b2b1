package dev.ferry.store.redis;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pub/sub channel this replica listens on, on a connection of its own: subscribed again a second
 * after that connection ends or fails, until stopped. Its handler gets every payload published on
 * the channel (the {@code message} pushes), on the connection's thread. Thread-safe.
 */
final class ChannelSubscription {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelSubscription.class);
  private static final long RESUBSCRIBE_MILLIS = 1000;

  private final Vertx vertx;
  private final Redis subscriber;
  private final Supplier<String> channel;
  private final String what;
  private final Handler<String> payloads;
  private volatile boolean stopped;
  private volatile RedisConnection connection;

  /**
   * @param channel the channel's name, read at each subscription
   * @param what what the channel carries, for the log ("nudges")
   */
  ChannelSubscription(
      Vertx vertx,
      Redis subscriber,
      Supplier<String> channel,
      String what,
      Handler<String> payloads) {
    this.vertx = vertx;
    this.subscriber = subscriber;
    this.channel = channel;
    this.what = what;
    this.payloads = payloads;
  }

  /** Subscribes; completes once subscribed (or failed: retried later). */
  Future<Void> start() {
    return subscribe().recover(e -> Future.succeededFuture());
  }

  void stop() {
    stopped = true;
    RedisConnection c = connection;
    connection = null;
    if (c != null) c.close();
  }

  private Future<Void> subscribe() {
    if (stopped) return Future.succeededFuture();
    return subscriber
        .connect()
        .compose(
            c -> {
              connection = c;
              c.handler(this::received);
              c.exceptionHandler(
                  e -> LOG.debug("{} subscription failed: {}", what, e.getMessage()));
              c.endHandler(v -> resubscribeLater());
              return c.send(Request.cmd(Command.SUBSCRIBE).arg(channel.get()));
            })
        .<Void>mapEmpty()
        .onFailure(
            e -> {
              LOG.warn("cannot subscribe to {} ({}); trying again", what, e.toString());
              resubscribeLater();
            });
  }

  private void resubscribeLater() {
    connection = null;
    if (!stopped) vertx.setTimer(RESUBSCRIBE_MILLIS, t -> subscribe());
  }

  private void received(Response message) {
    if (message == null || message.size() < 3 || !"message".equals(message.get(0).toString()))
      return;
    payloads.handle(message.get(2).toString());
  }
}
