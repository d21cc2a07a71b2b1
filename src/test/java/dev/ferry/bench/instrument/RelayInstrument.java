package dev.ferry.bench.instrument;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;

/**
 * The latency instrument: the least a gateway must do between a publish and its delivery, on the
 * same Vert.x and RocksDB paths Ferry uses. {@code POST /v2/publish/<url>} reads the body, writes
 * it with one synced group commit ({@link GroupCommit}), answers 201, then posts the body to {@code
 * <url>} from the same event loop with the {@code Upstash-Forward-*} headers forwarded, signed per
 * request, and records the 2xx outcome unsynced ({@link SignAndRecord}). Any other request answers
 * 200 (readiness, connection priming). No ids, no JSON parsing, no queues, retries, logs or
 * metrics: what it shows at a rate is the delay this machine adds to that work by itself.
 */
final class RelayInstrument extends VerticleBase {
  static final String PREFIX = "/v2/publish/";
  private static final String FORWARD = "upstash-forward-";
  private static final String ANSWER =
      new JsonObject()
          .put("messageId", "msg_0000000000000000000")
          .put("url", "http://127.0.0.1:00000/latency")
          .encode();

  private final int port;
  private final GroupCommit store;
  private final SignAndRecord gateway;
  private HttpClient client;
  private SignAndRecord.Outcomes outcomes;

  RelayInstrument(int port, GroupCommit store, SignAndRecord gateway) {
    this.port = port;
    this.store = store;
    this.gateway = gateway;
  }

  @Override
  public Future<?> start() {
    client =
        vertx
            .httpClientBuilder()
            .with(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true))
            .with(new PoolOptions().setHttp1MaxSize(64))
            .build();
    outcomes = gateway.outcomes(context);
    return vertx
        .createHttpServer(HttpInstruments.serverOptions(port))
        .requestHandler(this::handle)
        .listen();
  }

  private void handle(HttpServerRequest request) {
    if (request.method() != HttpMethod.POST || !request.uri().startsWith(PREFIX)) {
      request.response().end();
      return;
    }
    String url = request.uri().substring(PREFIX.length());
    MultiMap forwarded = forwarded(request.headers());
    request
        .body()
        .onSuccess(
            body ->
                store
                    .commit(new byte[][] {body.getBytes()})
                    .onSuccess(
                        n -> {
                          request
                              .response()
                              .setStatusCode(201)
                              .putHeader("Content-Type", "application/json")
                              .end(ANSWER);
                          deliver(url, forwarded, body);
                        })
                    .onFailure(e -> request.response().setStatusCode(500).end(e.toString())));
  }

  /** The {@code Upstash-Forward-*} headers without their prefix, as the destination gets them. */
  private static MultiMap forwarded(MultiMap headers) {
    MultiMap out = HttpHeaders.headers();
    for (Map.Entry<String, String> h : headers) {
      if (h.getKey().toLowerCase(Locale.ROOT).startsWith(FORWARD)) {
        out.add(h.getKey().substring(FORWARD.length()), h.getValue());
      }
    }
    return out;
  }

  private void deliver(String url, MultiMap headers, Buffer body) {
    RequestOptions options =
        new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url).setHeaders(headers);
    gateway
        .deliver(client, options, url, body, outcomes)
        .onFailure(e -> System.err.println("relay: delivery to " + url + " failed: " + e));
  }
}
