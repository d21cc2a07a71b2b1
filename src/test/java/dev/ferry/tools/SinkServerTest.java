package dev.ferry.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.OnContext;
import dev.ferry.testing.Ports;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sink over a real socket: what a load test's publisher reads back from it. */
class SinkServerTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void a_request_with_a_due_time_and_a_message_id_is_counted_and_its_arrival_kept_by_id()
      throws Exception {
    int port = Ports.freePort();
    vertx
        .deployVerticle(new SinkServer("127.0.0.1", port, new SinkStats(), null))
        .await(10, TimeUnit.SECONDS);
    HttpClient client = vertx.createHttpClient();
    Context context = vertx.getOrCreateContext();
    long due = System.currentTimeMillis() - 5;
    send(context, client, port, HttpMethod.POST, "/sample", "msg_one", String.valueOf(due));
    send(context, client, port, HttpMethod.POST, "/other", null, null);

    JsonObject stats =
        new JsonObject(send(context, client, port, HttpMethod.GET, "/stats", null, null));
    assertEquals(2, stats.getLong("received"));
    assertEquals(1, stats.getJsonObject("latenessMs").getLong("count"));
    JsonObject arrivals =
        new JsonObject(send(context, client, port, HttpMethod.GET, "/arrivals", null, null));
    assertEquals(1, arrivals.size());
    double arrival = arrivals.getDouble("msg_one");
    assertTrue(
        arrival >= due + 5 && arrival <= System.currentTimeMillis(),
        "arrival " + arrival + ", due " + due);

    send(context, client, port, HttpMethod.POST, "/reset", null, null);
    assertEquals(
        new JsonObject(),
        new JsonObject(send(context, client, port, HttpMethod.GET, "/arrivals", null, null)));
  }

  private static Buffer send(
      Context context,
      HttpClient client,
      int port,
      HttpMethod method,
      String uri,
      String id,
      String due)
      throws Exception {
    RequestOptions options =
        new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(uri);
    if (id != null) options.addHeader("Upstash-Message-Id", id);
    if (due != null) options.addHeader("X-Due-At", due);
    return OnContext.await(
        context,
        () ->
            client
                .request(options)
                .compose(req -> method == HttpMethod.POST ? req.send("body") : req.send())
                .compose(
                    resp ->
                        resp.statusCode() == 200
                            ? resp.body()
                            : Future.failedFuture(
                                new AssertionError(uri + " answered " + resp.statusCode()))),
        Duration.ofSeconds(10));
  }
}
