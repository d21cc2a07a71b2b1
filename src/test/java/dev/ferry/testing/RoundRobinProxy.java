package dev.ferry.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy on a loopback port that sends each request to the next of several backends in turn
 * (not each connection: a client that keeps its connection open still meets every backend), as a
 * load balancer in front of several replicas may. Forwards method, path and query, headers and
 * body, and answers with the backend's status, headers and body.
 */
public final class RoundRobinProxy implements AutoCloseable {
  private final HttpServer server;
  private final HttpClient client;
  private final List<Integer> ports;
  private final AtomicInteger next = new AtomicInteger();

  private RoundRobinProxy(Vertx vertx, List<Integer> ports) {
    this.ports = List.copyOf(ports);
    this.client = vertx.createHttpClient();
    this.server = vertx.createHttpServer().requestHandler(this::forward);
  }

  /** A proxy to the backends on {@code ports} of 127.0.0.1, listening. */
  public static RoundRobinProxy start(Vertx vertx, List<Integer> ports) throws Exception {
    RoundRobinProxy proxy = new RoundRobinProxy(vertx, ports);
    proxy.server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    return proxy;
  }

  public int port() {
    return server.actualPort();
  }

  private void forward(HttpServerRequest in) {
    int port = ports.get(Math.floorMod(next.getAndIncrement(), ports.size()));
    in.pause();
    RequestOptions options =
        new RequestOptions()
            .setMethod(in.method())
            .setHost("127.0.0.1")
            .setPort(port)
            .setURI(in.uri())
            .setHeaders(in.headers().copy().remove("Host").remove("Connection"));
    client
        .request(options)
        .compose(
            out -> {
              in.resume();
              return in.body().compose(out::send);
            })
        .compose(response -> response.body().map(body -> reply(in, response, body)))
        .onFailure(
            e -> {
              if (!in.response().ended())
                in.response().setStatusCode(502).end("{\"error\":\"proxy: " + e + "\"}");
            });
  }

  private static Future<Void> reply(
      HttpServerRequest in, HttpClientResponse response, io.vertx.core.buffer.Buffer body) {
    in.response().setStatusCode(response.statusCode());
    response
        .headers()
        .forEach(
            h -> {
              String name = h.getKey();
              if (!name.equalsIgnoreCase("Connection")
                  && !name.equalsIgnoreCase("Transfer-Encoding")
                  && !name.equalsIgnoreCase("Content-Length"))
                in.response().headers().add(name, h.getValue());
            });
    return in.response().end(body);
  }

  @Override
  public void close() throws Exception {
    server.close().await(10, TimeUnit.SECONDS);
    client.close().await(10, TimeUnit.SECONDS);
  }
}
