package dev.ferry.delivery;

import dev.ferry.config.FerryConfig;
import dev.ferry.delivery.callback.Callbacks;
import dev.ferry.delivery.flow.FlowControlBounds;
import dev.ferry.delivery.flow.GlobalParallelism;
import dev.ferry.delivery.hosts.HostShares;
import dev.ferry.delivery.signing.Signer;
import dev.ferry.egress.AddressPolicy;
import dev.ferry.egress.DestinationGuard;
import dev.ferry.egress.VertxHostResolver;
import dev.ferry.ingest.Ids;
import dev.ferry.model.AttemptResult;
import dev.ferry.model.Message;
import dev.ferry.model.Queue;
import dev.ferry.model.SigningKeys;
import dev.ferry.store.FlowControlStore;
import dev.ferry.store.KeyRing;
import dev.ferry.store.MessageStore;
import dev.ferry.store.PartitionOwnership;
import dev.ferry.store.embedded.EmbeddedStores;
import dev.ferry.testing.MessageBuilder;
import dev.ferry.testing.OnContext;
import dev.ferry.testing.Sink;
import dev.ferry.testing.TestConfigs;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.PoolOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The real delivery path without Ferry around it, for direct tests of its parts: an embedded store
 * in a temporary directory, one Vert.x HTTP client, a {@link Deliverer} signing with tenant {@link
 * #TENANT}'s keys, and a {@link Sink} on a free port as the destination. JUnit thread only; {@link
 * #onContext} runs code on the one context the parts under test live on.
 */
final class DeliveryFixture implements AutoCloseable {
  static final String TENANT = "t";
  static final String CURRENT_KEY = "sig_fixtureCurrent0000000000000";
  static final Duration WAIT = Duration.ofSeconds(10);

  /** 64 bytes of response body kept: small, so the cap shows. */
  static final FerryConfig.Delivery CONFIG =
      TestConfigs.of(Path.of("unused")) // only the delivery slice is used: no data directory
          .set("delivery.instances", 1)
          .set("delivery.maxConnectionsPerHost", 8)
          .set("delivery.maxResponseBodyBytes", 64)
          .set("delivery.maxInFlight", 100)
          .build()
          .delivery();

  final Vertx vertx;
  final Context context;
  final EmbeddedStores stores;
  final HttpClient client;
  final AttemptDeadlines deadlines = new AttemptDeadlines();
  final Deliverer deliverer;
  final Sink sink;
  final Clock clock = Clock.systemUTC();

  DeliveryFixture(Vertx vertx, Path dataDir) throws Exception {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.stores = EmbeddedStores.open(dataDir).await(30, TimeUnit.SECONDS);
    // the pool delivery wires: as many connections per destination as the gate lets attempts run
    this.client =
        vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(CONFIG.maxConnectionsPerHost()));
    KeyRing keys =
        KeyRing.load(
                stores.signingKeys(),
                Map.of(TENANT, new SigningKeys(CURRENT_KEY, "sig_fixtureNext000000000000000000")),
                Ids::newSigningKey)
            .await(10, TimeUnit.SECONDS);
    this.deliverer =
        new Deliverer(
            vertx,
            client,
            deadlines,
            new Signer(Ids::newJwtId),
            keys,
            CONFIG,
            clock,
            new DestinationGuard(AddressPolicy.DEFAULT, new VertxHostResolver(vertx)),
            AttemptShaper.NONE);
    this.sink = Sink.startBlocking(vertx);
  }

  MessageStore messages() {
    return stores.messages();
  }

  /**
   * A POST of {@code body} to the sink's {@code path}; unqueued when {@code queue} is null; due
   * now.
   */
  Message message(String queue, String path, String body, int maxRetries, long timeoutMillis) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Content-Type", List.of("text/plain"));
    return message(
        queue,
        sink.url(path),
        "POST",
        headers,
        body.getBytes(StandardCharsets.UTF_8),
        maxRetries,
        timeoutMillis);
  }

  /**
   * Any destination, method, headers and body; retried at once ({@code Upstash-Retry-Delay: 0});
   * due now.
   */
  Message message(
      String queue,
      String url,
      String method,
      Map<String, List<String>> headers,
      byte[] body,
      int maxRetries,
      long timeoutMillis) {
    return message(queue, url, method, headers, body, maxRetries, "0", timeoutMillis);
  }

  /**
   * As above, retried after {@code retryDelay} (an {@code Upstash-Retry-Delay} expression, in ms).
   */
  Message message(
      String queue,
      String url,
      String method,
      Map<String, List<String>> headers,
      byte[] body,
      int maxRetries,
      String retryDelay,
      long timeoutMillis) {
    long now = clock.millis();
    return MessageBuilder.message(Ids.newMessageId(), TENANT, url)
        .queueName(queue)
        .method(method)
        .headers(headers)
        .body(body)
        .maxRetries(maxRetries)
        .retryDelayExpression(retryDelay)
        .timeoutMillis(timeoutMillis)
        .createdAt(now)
        .callerIp("127.0.0.1")
        .labels(List.of())
        .dueAt(now)
        .build();
  }

  /**
   * Attempts as delivery wires them (outcomes recorded in {@code store}), telling {@code
   * transitions}.
   */
  Attempts attempts(MessageStore store, Transitions transitions) {
    return attempts(store, transitions, new DeliveryDrain(), PartitionOwnership.everything());
  }

  /**
   * As above, counting attempts in {@code drain} and attempting only what {@code ownership} owns.
   */
  Attempts attempts(
      MessageStore store,
      Transitions transitions,
      DeliveryDrain drain,
      PartitionOwnership ownership) {
    Callbacks callbacks =
        new Callbacks(clock); // not connected to ingest: callback messages fail to store
    return new Attempts(
        deliverer,
        new Outcomes(
            store,
            Endings.plain(store),
            callbacks,
            new DeliveredBatch(store, context),
            clock,
            transitions),
        DeliveryEvents.NONE,
        callbacks,
        transitions,
        drain,
        ownership);
  }

  /**
   * What a partition shares, as delivery wires it but unbounded and with nothing else listening:
   * retries go to {@code later}, callbacks are not connected to ingest, flow-control settings are
   * not stored.
   */
  DeliveryVerticle.Collaborators partition(DeliveryVerticle.Later later, int maxInFlight) {
    return partition(
        later, maxInFlight, messages(), new DeliveryDrain(), PartitionOwnership.everything());
  }

  /** As above, over {@code store}, counting attempts in {@code drain}, owning what it says. */
  DeliveryVerticle.Collaborators partition(
      DeliveryVerticle.Later later,
      int maxInFlight,
      MessageStore store,
      DeliveryDrain drain,
      PartitionOwnership ownership) {
    return new DeliveryVerticle.Collaborators(
        store,
        stores.queues(),
        deliverer,
        later,
        maxInFlight,
        clock,
        DeliveryEvents.NONE,
        new Callbacks(clock),
        new GlobalParallelism(0),
        FlowControlStore.NONE,
        Transitions.NONE,
        FlowControlBounds.DEFAULTS,
        HostShares.unlimited(),
        drain,
        ownership,
        Endings.plain(store));
  }

  /** The bodies of the requests that arrived at {@code path}, in arrival order. */
  List<String> bodies(String path) {
    return sink.received(path).stream().map(r -> r.body().toString()).toList();
  }

  /** Stores the messages (as ingest would) and returns them. */
  List<Message> store(List<Message> messages) throws Exception {
    call(() -> stores.messages().append(messages));
    return messages;
  }

  void putQueue(String name, int parallelism) throws Exception {
    long now = clock.millis();
    call(() -> stores.queues().put(new Queue(TENANT, name, parallelism, false, now, now)));
  }

  /** One attempt through the real deliverer, on the fixture's context. */
  AttemptResult attempt(Message m) throws Exception {
    return call(() -> deliverer.attempt(m));
  }

  /** Runs {@code call} on the fixture's context and waits for it. */
  <T> T call(Supplier<Future<T>> call) throws Exception {
    return OnContext.await(context, call, WAIT);
  }

  /**
   * Runs {@code action} on the fixture's context (where dispatchers must be driven) and waits until
   * it ran.
   */
  void onContext(Runnable action) throws Exception {
    call(
        () -> {
          action.run();
          return Future.succeededFuture();
        });
  }

  @Override
  public void close() throws Exception {
    sink.close().await(10, TimeUnit.SECONDS);
    client.close().await(10, TimeUnit.SECONDS);
    deadlines.close();
    stores.close().await(30, TimeUnit.SECONDS);
  }
}
