package dev.ferry.bench;

import dev.ferry.testing.OnContext;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

/**
 * Blocking HTTP calls from the orchestrator's main thread to the processes it drives (readiness
 * probes, the sink's {@code /stats}, the instruments' control endpoints). Not for load: see {@link
 * Load}. Loopback only.
 */
final class Control implements AutoCloseable {
  static final String HOST = "127.0.0.1";

  /** A response: status and body. */
  record Response(int status, Buffer body) {
    JsonObject json() {
      return body.toJsonObject();
    }

    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  private final HttpClient client;

  /**
   * Where the calls are issued: see {@link OnContext} for why not from the orchestrator's thread.
   */
  private final Context context;

  Control(Vertx vertx) {
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    this.context = vertx.getOrCreateContext();
  }

  Response call(
      HttpMethod method, int port, String uri, MultiMap headers, Buffer body, Duration timeout) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setHost(HOST)
            .setPort(port)
            .setURI(uri)
            .setIdleTimeout(timeout.toMillis())
            .setConnectTimeout(timeout.toMillis());
    if (headers != null) options.setHeaders(headers);
    try {
      return OnContext.await(
          context,
          () ->
              client
                  .request(options)
                  .compose(req -> body == null ? req.send() : req.send(body))
                  .compose(resp -> resp.body().map(b -> new Response(resp.statusCode(), b))),
          timeout.plusSeconds(1));
    } catch (Exception e) {
      throw new IllegalStateException(method + " 127.0.0.1:" + port + uri + " failed: " + e, e);
    }
  }

  /** A call that must answer 2xx with a JSON object. */
  JsonObject json(HttpMethod method, int port, String uri, Duration timeout) {
    Response r = call(method, port, uri, null, null, timeout);
    if (!r.ok())
      throw new IllegalStateException(
          method + " " + uri + " answered " + r.status() + ": " + r.body());
    return r.body().length() == 0 ? new JsonObject() : r.json();
  }

  /**
   * Waits until {@code child} answers any HTTP response on {@code port}; fails early if it exits.
   */
  void awaitReady(Children.Child child, int port, String uri, MultiMap headers, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      child.checkAlive();
      try {
        call(HttpMethod.GET, port, uri, headers, null, Duration.ofSeconds(2));
        return;
      } catch (IllegalStateException notYet) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              child.name()
                  + " not ready on port "
                  + port
                  + " after "
                  + timeout
                  + "; log "
                  + child.log()
                  + ":\n"
                  + Children.tail(child.log(), 30));
        }
        sleep(200);
      }
    }
  }

  static MultiMap bearer(String token) {
    return HttpHeaders.headers().add(HttpHeaders.AUTHORIZATION, "Bearer " + token);
  }

  /** A port that was free a moment ago on the loopback address. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
