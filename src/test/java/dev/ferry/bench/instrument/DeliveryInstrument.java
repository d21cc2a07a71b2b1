package dev.ferry.bench.instrument;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The delivery instruments: on {@code POST
 * /deliver?sinkPort=&path=&seconds=&connections=&instances=[&requests=]} it posts a 100-byte body
 * to the sink as fast as it can for the given time (or until {@code requests} were started), over
 * one shared keep-alive HTTP/1.1 client with {@code connections} connections, from {@code
 * instances} event loops (Ferry's delivery verticles), one request in flight per connection.
 * Answers {@code {"sent","errors"}} when done. The sink measures the rate.
 *
 * <p>Bare (without {@link SignAndRecord}) it does nothing else. Signing (with one) each request
 * also carries an {@code Upstash-Signature} minted for it, and each 2xx counts as sent only once
 * its outcome is written; the connection takes its next request after that, as Ferry's delivery
 * frees a slot only once the outcome is recorded.
 */
final class DeliveryInstrument extends VerticleBase {
  static final Buffer BODY = Buffer.buffer("x".repeat(100));

  private final int port;

  /** Null for the bare instrument. */
  private final SignAndRecord gateway;

  /** The bare instrument. */
  DeliveryInstrument(int port) {
    this(port, null);
  }

  /** With {@code gateway}: the signing instrument; null: the bare one. */
  DeliveryInstrument(int port, SignAndRecord gateway) {
    this.port = port;
    this.gateway = gateway;
  }

  @Override
  public Future<?> start() {
    return vertx
        .createHttpServer(HttpInstruments.serverOptions(port))
        .requestHandler(this::control)
        .listen();
  }

  private void control(HttpServerRequest request) {
    if (!request.path().equals("/deliver")) {
      request.response().setStatusCode(404).end();
      return;
    }
    int sinkPort = Integer.parseInt(request.getParam("sinkPort"));
    String path = request.getParam("path", "/instrument");
    long seconds = Long.parseLong(request.getParam("seconds", "10"));
    int connections = Integer.parseInt(request.getParam("connections", "64"));
    int instances = Integer.parseInt(request.getParam("instances", "2"));
    String requests = request.getParam("requests");
    AtomicLong budget = requests == null ? null : new AtomicLong(Long.parseLong(requests));
    HttpClient client =
        vertx
            .httpClientBuilder()
            .with(
                new HttpClientOptions()
                    .setKeepAlive(true)
                    .setTcpNoDelay(true)
                    .setDefaultHost("127.0.0.1")
                    .setDefaultPort(sinkPort))
            .with(new PoolOptions().setHttp1MaxSize(connections))
            .build();
    long until = System.nanoTime() + seconds * 1_000_000_000L;
    AtomicLong sent = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    List<Future<Void>> done = new ArrayList<>();
    List<Future<String>> deployed = new ArrayList<>();
    String url = "http://127.0.0.1:" + sinkPort + path; // what each signature's sub names
    for (int i = 0; i < instances; i++) {
      int chains = connections / instances + (i < connections % instances ? 1 : 0);
      Promise<Void> finished = Promise.promise();
      done.add(finished.future());
      deployed.add(
          vertx.deployVerticle(
              new Loops(client, gateway, url, path, chains, until, budget, sent, errors, finished),
              new DeploymentOptions()));
    }
    Future.join(done)
        .eventually(
            () ->
                Future.join(deployed)
                    .compose(
                        ids -> {
                          List<Future<Void>> undeployed = new ArrayList<>();
                          for (Future<String> id : deployed)
                            if (id.succeeded()) undeployed.add(vertx.undeploy(id.result()));
                          return Future.join(undeployed);
                        }))
        .eventually(client::close)
        .onComplete(
            ar ->
                request
                    .response()
                    .putHeader("Content-Type", "application/json")
                    .end(
                        new JsonObject()
                            .put("sent", sent.get())
                            .put("errors", errors.get())
                            .encode()));
  }

  /** {@code chains} request loops on one event loop. */
  private static final class Loops extends VerticleBase {
    private final HttpClient client;
    private final SignAndRecord gateway;
    private final String url;
    private final String path;
    private final int chains;
    private final long until;

    /** Requests left to start in all; null: unbounded. */
    private final AtomicLong budget;

    private final AtomicLong sent;
    private final AtomicLong errors;
    private final Promise<Void> finished;
    private SignAndRecord.Outcomes outcomes;
    private int running;

    Loops(
        HttpClient client,
        SignAndRecord gateway,
        String url,
        String path,
        int chains,
        long until,
        AtomicLong budget,
        AtomicLong sent,
        AtomicLong errors,
        Promise<Void> finished) {
      this.client = client;
      this.gateway = gateway;
      this.url = url;
      this.path = path;
      this.chains = chains;
      this.until = until;
      this.budget = budget;
      this.sent = sent;
      this.errors = errors;
      this.finished = finished;
    }

    @Override
    public Future<?> start() {
      running = chains;
      if (gateway != null) outcomes = gateway.outcomes(context);
      if (chains == 0) finished.complete();
      for (int i = 0; i < chains; i++) next();
      return Future.succeededFuture();
    }

    private void next() {
      if (System.nanoTime() >= until || (budget != null && budget.getAndDecrement() <= 0)) {
        if (--running == 0) finished.complete();
        return;
      }
      if (gateway != null) {
        signedAndRecorded();
        return;
      }
      client
          .request(new RequestOptions().setMethod(HttpMethod.POST).setURI(path))
          .compose(req -> req.send(BODY))
          .compose(resp -> resp.body().map(resp.statusCode()))
          .onComplete(
              ar -> {
                if (ar.succeeded() && ar.result() / 100 == 2) sent.incrementAndGet();
                else errors.incrementAndGet();
                next();
              });
    }

    /**
     * One delivery as a gateway must make it: signed, and its outcome written before the next one
     * starts.
     */
    private void signedAndRecorded() {
      gateway
          .deliver(
              client,
              new RequestOptions().setMethod(HttpMethod.POST).setURI(path),
              url,
              BODY,
              outcomes)
          .onComplete(
              ar -> {
                if (ar.succeeded() && ar.result() / 100 == 2) sent.incrementAndGet();
                else errors.incrementAndGet();
                next();
              });
    }
  }
}
