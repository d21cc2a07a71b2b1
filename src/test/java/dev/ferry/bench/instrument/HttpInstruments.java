package dev.ferry.bench.instrument;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * The two publish instruments: HTTP servers with the server options of Ferry's API and no logic
 * behind them.
 */
final class HttpInstruments {
  private HttpInstruments() {}

  /**
   * Ferry's API server options (ApiVerticle), so both sides of a comparison parse HTTP the same
   * way.
   */
  static HttpServerOptions serverOptions(int port) {
    return new HttpServerOptions()
        .setHost("127.0.0.1")
        .setPort(port)
        .setCompressionSupported(false)
        .setTcpNoDelay(true)
        .setMaxInitialLineLength(16 * 1024);
  }

  /**
   * Single publish: reads the body, answers 201 with a constant body shaped like Ferry's answer.
   */
  static final class Publish extends VerticleBase {
    private static final String ANSWER =
        new JsonObject()
            .put("messageId", "msg_0000000000000000000")
            .put("url", "http://127.0.0.1:00000/single")
            .encode();
    private final int port;

    Publish(int port) {
      this.port = port;
    }

    @Override
    public Future<?> start() {
      return vertx.createHttpServer(serverOptions(port)).requestHandler(this::handle).listen();
    }

    private void handle(HttpServerRequest request) {
      request
          .body()
          .onSuccess(
              body ->
                  request
                      .response()
                      .setStatusCode(201)
                      .putHeader("Content-Type", "application/json")
                      .end(ANSWER));
    }
  }

  /**
   * Batch publish: parses the JSON array of entries, stores every body through {@link GroupCommit},
   * answers 200.
   */
  static final class Batch extends VerticleBase {
    private final int port;
    private final GroupCommit store;

    Batch(int port, GroupCommit store) {
      this.port = port;
      this.store = store;
    }

    @Override
    public Future<?> start() {
      return vertx.createHttpServer(serverOptions(port)).requestHandler(this::handle).listen();
    }

    private void handle(HttpServerRequest request) {
      request
          .body()
          .onSuccess(
              body -> {
                byte[][] values;
                try {
                  JsonArray entries = new JsonArray(body);
                  values = new byte[entries.size()][];
                  for (int i = 0; i < values.length; i++) {
                    values[i] =
                        entries
                            .getJsonObject(i)
                            .getString("body", "")
                            .getBytes(StandardCharsets.UTF_8);
                  }
                } catch (RuntimeException e) {
                  request
                      .response()
                      .setStatusCode(400)
                      .end(new JsonObject().put("error", e.toString()).encode());
                  return;
                }
                store
                    .commit(values)
                    .onSuccess(
                        n ->
                            request
                                .response()
                                .setStatusCode(200)
                                .putHeader("Content-Type", "application/json")
                                .end("{\"stored\":" + n + "}"))
                    .onFailure(e -> request.response().setStatusCode(500).end(e.toString()));
              });
    }
  }
}
