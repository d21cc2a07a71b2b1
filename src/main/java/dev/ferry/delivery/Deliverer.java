package dev.ferry.delivery;

import dev.ferry.model.HeaderNames;
import dev.ferry.config.FerryConfig;
import dev.ferry.model.AttemptResult;
import dev.ferry.model.Message;
import dev.ferry.store.KeyRing;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Sends one attempt of a message through the one shared non-blocking HTTP client: the stored method, headers and
 * byte-exact body, plus QStash's delivery headers and a fresh signature. Enforces a total deadline per attempt (not
 * an idle timeout, so a slow trickle cannot hold it open) and keeps at most the configured number of response body
 * bytes. Never fails: every result, good or bad, is an {@link AttemptResult}. Runs on a delivery event loop.
 */
public final class Deliverer {
  static final String USER_AGENT = "Upstash-QStash";

  private final Vertx vertx;
  private final HttpClient client;
  private final Signer signer;
  private final KeyRing keys;
  private final FerryConfig.Delivery config;
  private final Clock clock;

  public Deliverer(Vertx vertx, HttpClient client, Signer signer, KeyRing keys, FerryConfig.Delivery config,
                   Clock clock) {
    this.vertx = vertx;
    this.client = client;
    this.signer = signer;
    this.keys = keys;
    this.config = config;
    this.clock = clock;
  }

  public Future<AttemptResult> attempt(Message m) {
    long timeout = m.timeoutMillis() > 0 ? m.timeoutMillis() : config.defaultTimeout().toMillis();
    Promise<AttemptResult> result = Promise.promise();
    HttpClientRequest[] sent = new HttpClientRequest[1];
    long timer = vertx.setTimer(timeout, t -> {
      if (result.tryComplete(failure("timeout: no complete response within " + timeout + "ms")) && sent[0] != null) {
        sent[0].reset(0, new TimeoutException("attempt deadline"));
      }
    });
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.valueOf(m.method()))
        .setAbsoluteURI(m.url())
        .setHeaders(headers(m))
        .setConnectTimeout(timeout)
        .setFollowRedirects(false);  // 3xx counts as a failed attempt; redirects are an SSRF vector
    Buffer body = Buffer.buffer(m.body());
    client.request(options)
        .compose(request -> {
          sent[0] = request;
          return request.send(body);
        })
        .compose(this::capture)
        .onComplete(ar -> {
          vertx.cancelTimer(timer);
          result.tryComplete(ar.succeeded() ? ar.result() : failure(describe(ar.cause())));
        });
    return result.future();
  }

  private MultiMap headers(Message m) {
    MultiMap h = HttpHeaders.headers();
    m.headers().forEach((name, values) -> values.forEach(v -> h.add(name, v)));
    h.set(HttpHeaders.USER_AGENT, USER_AGENT);
    h.set("Upstash-Message-Id", m.id());
    h.set("Upstash-Retried", Integer.toString(m.retried()));
    if (m.topicName() != null) h.set("Upstash-Topic-Name", m.topicName());
    if (m.scheduleId() != null) h.set("Upstash-Schedule-Id", m.scheduleId());
    if (m.callerIp() != null) h.set("Upstash-Caller-Ip", m.callerIp());
    h.set("Upstash-Signature", signer.sign(keys.keys(m.tenant()).current(), m.url(), m.body(), clock.millis()));
    return h;
  }

  /** Reads the response, keeping at most maxResponseBodyBytes; a larger body is cut off and the stream reset. */
  private Future<AttemptResult> capture(HttpClientResponse response) {
    Promise<AttemptResult> done = Promise.promise();
    int cap = config.maxResponseBodyBytes();
    Buffer kept = Buffer.buffer();
    response.handler(chunk -> {
      int room = cap - kept.length();
      if (room > 0) kept.appendBuffer(chunk, 0, Math.min(room, chunk.length()));
      if (chunk.length() > room && done.tryComplete(result(response, kept))) {
        response.request().reset();
      }
    });
    response.endHandler(v -> done.tryComplete(result(response, kept)));
    response.exceptionHandler(e -> done.tryComplete(result(response, kept)));
    return done.future();
  }

  private AttemptResult result(HttpClientResponse response, Buffer body) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    response.headers().forEach(h ->
        headers.computeIfAbsent(HeaderNames.canonical(h.getKey()), k -> new ArrayList<>()).add(h.getValue()));
    return new AttemptResult(response.statusCode(), headers, body.getBytes(), null, clock.millis());
  }

  private AttemptResult failure(String error) {
    return new AttemptResult(0, Map.of(), new byte[0], error, clock.millis());
  }

  private static String describe(Throwable e) {
    if (e instanceof TimeoutException) return "timeout: " + e.getMessage();
    if (e instanceof ConnectException) return "connection failed: " + e.getMessage();
    if (e instanceof UnknownHostException) return "dns lookup failed: " + e.getMessage();
    if (e instanceof SSLException) return "tls failed: " + e.getMessage();
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}
