package dev.ferry.testing;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real destination server on a free loopback port that records every request it receives and
 * answers with a programmable response (200 by default). Thread-safe; tests read what it recorded
 * and wait for counts.
 */
public final class Sink {
  /** One recorded request. */
  public record Received(String method, String uri, MultiMap headers, Buffer body, long atMillis) {
    public String header(String name) {
      return headers.get(name);
    }
  }

  /** What the sink answers: status, headers and body. */
  public record Reply(int status, Map<String, String> headers, String body, long delayMillis) {
    public static Reply status(int status) {
      return new Reply(status, Map.of(), "", 0);
    }
  }

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, int[]> concurrency =
      new ConcurrentHashMap<>(); // path → {in flight, max}
  private final Map<String, Function<Received, Reply>> byPath = new ConcurrentHashMap<>();
  private final Vertx vertx;
  private HttpServer server;

  private Sink(Vertx vertx) {
    this.vertx = vertx;
  }

  public static Future<Sink> start(Vertx vertx) {
    Sink sink = new Sink(vertx);
    return vertx
        .createHttpServer()
        .requestHandler(sink::handle)
        .listen(0, "127.0.0.1")
        .map(
            s -> {
              sink.server = s;
              return sink;
            });
  }

  /** Blocking start for JUnit threads. */
  public static Sink startBlocking(Vertx vertx) throws Exception {
    return start(vertx).await(10, TimeUnit.SECONDS);
  }

  public int port() {
    return server.actualPort();
  }

  /** A URL on this sink, e.g. {@code url("/a?x=1")}. */
  public String url(String pathAndQuery) {
    return "http://127.0.0.1:" + port() + pathAndQuery;
  }

  /** Sets how requests to {@code path} (without query) are answered. */
  public Sink on(String path, Function<Received, Reply> reply) {
    byPath.put(path, reply);
    return this;
  }

  public List<Received> received() {
    return new ArrayList<>(received);
  }

  public List<Received> received(String path) {
    return received.stream().filter(r -> pathOf(r.uri()).equals(path)).toList();
  }

  /** Waits until at least {@code count} requests to {@code path} arrived; returns them. */
  public List<Received> await(String path, int count, long timeoutMillis) {
    try {
      return Polls.within(Duration.ofMillis(timeoutMillis))
          .until(() -> received(path), got -> got.size() >= count);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "expected "
              + count
              + " requests to "
              + path
              + " within "
              + timeoutMillis
              + "ms, got "
              + received(path).size());
    }
  }

  /** The most requests to {@code path} that were ever being answered at the same time. */
  public int maxConcurrent(String path) {
    int[] c = concurrency.get(path);
    if (c == null) return 0;
    synchronized (c) {
      return c[1];
    }
  }

  public Future<Void> close() {
    return server.close();
  }

  private void handle(HttpServerRequest request) {
    request
        .body()
        .onSuccess(
            body -> {
              Received r =
                  new Received(
                      request.method().name(),
                      request.uri(),
                      MultiMap.caseInsensitiveMultiMap().addAll(request.headers()),
                      body,
                      System.currentTimeMillis());
              received.add(r);
              int[] c = concurrency.computeIfAbsent(pathOf(request.uri()), k -> new int[2]);
              synchronized (c) {
                c[0]++;
                c[1] = Math.max(c[1], c[0]);
              }
              request
                  .response()
                  .endHandler(
                      v -> {
                        synchronized (c) {
                          c[0]--;
                        }
                      });
              request
                  .connection()
                  .closeHandler(
                      v -> {
                        synchronized (c) {
                          if (c[0] > 0 && !request.response().ended()) c[0]--;
                        }
                      });
              Reply reply =
                  byPath.getOrDefault(pathOf(request.uri()), x -> Reply.status(200)).apply(r);
              Runnable respond =
                  () -> {
                    request.response().setStatusCode(reply.status());
                    reply.headers().forEach(request.response()::putHeader);
                    request.response().end(reply.body());
                  };
              if (reply.delayMillis() > 0) {
                vertx.setTimer(reply.delayMillis(), t -> respond.run());
              } else {
                respond.run();
              }
            });
  }

  private static String pathOf(String uri) {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }
}
