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
 * The delivery instrument: on {@code POST /deliver?sinkPort=&path=&seconds=&connections=&instances=} it posts a
 * 100-byte body to the sink as fast as it can for the given time, over one shared keep-alive HTTP/1.1 client with
 * {@code connections} connections, from {@code instances} event loops (Ferry's delivery verticles), one request in
 * flight per connection. Answers {@code {"sent","errors"}} when done. The sink measures the rate.
 */
final class DeliveryInstrument extends VerticleBase {
  static final Buffer BODY = Buffer.buffer("x".repeat(100));

  private final int port;

  DeliveryInstrument(int port) {
    this.port = port;
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer(HttpInstruments.serverOptions(port)).requestHandler(this::control).listen();
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
    HttpClient client = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setDefaultHost("127.0.0.1")
            .setDefaultPort(sinkPort))
        .with(new PoolOptions().setHttp1MaxSize(connections))
        .build();
    long until = System.nanoTime() + seconds * 1_000_000_000L;
    AtomicLong sent = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    List<Future<Void>> done = new ArrayList<>();
    List<Future<String>> deployed = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      int chains = connections / instances + (i < connections % instances ? 1 : 0);
      Promise<Void> finished = Promise.promise();
      done.add(finished.future());
      deployed.add(vertx.deployVerticle(new Loops(client, path, chains, until, sent, errors, finished),
          new DeploymentOptions()));
    }
    Future.join(done)
        .eventually(() -> Future.join(deployed).compose(ids -> {
          List<Future<Void>> undeployed = new ArrayList<>();
          for (Future<String> id : deployed) if (id.succeeded()) undeployed.add(vertx.undeploy(id.result()));
          return Future.join(undeployed);
        }))
        .eventually(client::close)
        .onComplete(ar -> request.response().putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("sent", sent.get()).put("errors", errors.get()).encode()));
  }

  /** {@code chains} request loops on one event loop. */
  private static final class Loops extends VerticleBase {
    private final HttpClient client;
    private final String path;
    private final int chains;
    private final long until;
    private final AtomicLong sent;
    private final AtomicLong errors;
    private final Promise<Void> finished;
    private int running;

    Loops(HttpClient client, String path, int chains, long until, AtomicLong sent, AtomicLong errors,
          Promise<Void> finished) {
      this.client = client;
      this.path = path;
      this.chains = chains;
      this.until = until;
      this.sent = sent;
      this.errors = errors;
      this.finished = finished;
    }

    @Override
    public Future<?> start() {
      running = chains;
      if (chains == 0) finished.complete();
      for (int i = 0; i < chains; i++) next();
      return Future.succeededFuture();
    }

    private void next() {
      if (System.nanoTime() >= until) {
        if (--running == 0) finished.complete();
        return;
      }
      client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI(path))
          .compose(req -> req.send(BODY))
          .compose(resp -> resp.body().map(resp.statusCode()))
          .onComplete(ar -> {
            if (ar.succeeded() && ar.result() / 100 == 2) sent.incrementAndGet();
            else errors.incrementAndGet();
            next();
          });
    }
  }
}
