package dev.ferry.overload;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A destination that answers 200 at once and keeps only the message ids it got (no bodies: floods
 * are large).
 */
final class IdSink implements AutoCloseable {
  private final HttpServer server;
  private final Set<String> ids = ConcurrentHashMap.newKeySet();
  private final AtomicLong requests = new AtomicLong();

  private IdSink(HttpServer server) {
    this.server = server;
  }

  static IdSink start(Vertx vertx) throws Exception {
    IdSink[] sink = new IdSink[1];
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                req -> {
                  String id = req.getHeader("Upstash-Message-Id");
                  req.end()
                      .onComplete(
                          done -> {
                            if (id != null) sink[0].ids.add(id);
                            sink[0].requests.incrementAndGet();
                            req.response().end();
                          });
                });
    sink[0] = new IdSink(server);
    server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    return sink[0];
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  Set<String> ids() {
    return ids;
  }

  long requests() {
    return requests.get();
  }

  @Override
  public void close() throws Exception {
    server.close().await(10, TimeUnit.SECONDS);
  }
}
