package dev.ferry.delivery;

import dev.ferry.config.FerryConfig;
import dev.ferry.delivery.hosts.HostShares;
import dev.ferry.delivery.signing.Signer;
import dev.ferry.egress.DestinationGuard;
import dev.ferry.model.AttemptResult;
import dev.ferry.model.HeaderNames;
import dev.ferry.model.Message;
import dev.ferry.store.KeyRing;
import io.netty.buffer.Unpooled;
import io.netty.util.Timeout;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.SocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Sends one attempt of a message through the one shared non-blocking HTTP client: the stored
 * method, headers and byte-exact body, plus QStash's delivery headers and a fresh signature.
 * Enforces a total deadline per attempt (not an idle timeout, so a slow trickle cannot hold it
 * open) and keeps at most the configured number of response body bytes. Never fails: every result,
 * good or bad, is an {@link AttemptResult}. Runs on a delivery event loop.
 */
public final class Deliverer {
  static final String USER_AGENT = "Upstash-QStash";
  private static final CharSequence MESSAGE_ID = HttpHeaders.createOptimized("Upstash-Message-Id");
  private static final CharSequence RETRIED = HttpHeaders.createOptimized("Upstash-Retried");
  private static final CharSequence TOPIC_NAME = HttpHeaders.createOptimized("Upstash-Topic-Name");
  private static final CharSequence CALLER_IP = HttpHeaders.createOptimized("Upstash-Caller-Ip");
  private static final CharSequence SCHEDULE_ID =
      HttpHeaders.createOptimized("Upstash-Schedule-Id");
  private static final CharSequence SIGNATURE = HttpHeaders.createOptimized("Upstash-Signature");
  private static final byte[] EMPTY = new byte[0];
  static final String CANCELLED_WHILE_WAITING = "cancelled while waiting for a connection";
  private static final String NO_CONNECTION = "no connection within ";
  private static final String NO_RESPONSE = "no complete response within ";
  private static final long DRAIN_AT_LEAST = 1 << 20;

  private final Vertx vertx;
  private final HttpClient client;
  private final AttemptDeadlines deadlines;
  private final Signer signer;
  private final KeyRing keys;
  private final FerryConfig.Delivery config;
  private final Clock clock;
  private final DestinationGuard guard;
  private final AttemptShaper shaper;
  private final ConnectionGate gate;

  /** {@code shaper} turns a stored message into what an attempt sends. */
  public Deliverer(
      Vertx vertx,
      HttpClient client,
      AttemptDeadlines deadlines,
      Signer signer,
      KeyRing keys,
      FerryConfig.Delivery config,
      Clock clock,
      DestinationGuard guard,
      AttemptShaper shaper) {
    this.guard = guard;
    this.shaper = shaper;
    this.vertx = vertx;
    this.client = client;
    this.deadlines = deadlines;
    this.signer = signer;
    this.keys = keys;
    this.config = config;
    this.clock = clock;
    this.gate = new ConnectionGate(config.maxConnectionsPerHost(), deadlines);
  }

  /** Attempts waiting for a connection to their destination now (metrics). */
  public int waitingForConnection() {
    return gate.waiting();
  }

  /** Sends one attempt; call on the delivery context that should hear back. */
  public Future<AttemptResult> attempt(Message stored) {
    return attempt(stored, () -> false);
  }

  /**
   * Sends one attempt, unless {@code withdrawn} says, when the attempt gets its connection after
   * waiting for one, that it must not be sent any more (its message was cancelled, or moved to
   * another process, meanwhile): then nothing is sent and the attempt ends as "cancelled while
   * waiting for a connection".
   */
  public Future<AttemptResult> attempt(Message stored, BooleanSupplier withdrawn) {
    if (shaper == AttemptShaper.NONE) return send(stored, withdrawn);
    return shaper
        .shape(stored)
        .transform(
            ar ->
                ar.succeeded()
                    ? send(ar.result(), withdrawn)
                    : Future.succeededFuture(failure(AttemptFault.describe(ar.cause()))));
  }

  /**
   * Waits for a connection to the message's destination ({@link ConnectionGate}), then sends; the
   * attempt's deadline runs from then.
   */
  private Future<AttemptResult> send(Message m, BooleanSupplier withdrawn) {
    long timeout = m.timeoutMillis() > 0 ? m.timeoutMillis() : config.defaultTimeout().toMillis();
    Promise<AttemptResult> result = Promise.promise();
    String host = HostShares.hostOf(m.url());
    gate.enter(
        host,
        vertx.getOrCreateContext(),
        timeout,
        new ConnectionGate.Waiter() {
          @Override
          public void start(boolean waited) {
            if (waited && withdrawn.getAsBoolean()) {
              result.complete(failure(CANCELLED_WHILE_WAITING));
              gate.leave(host, false);
              return;
            }
            send(m, timeout, result, host);
          }

          @Override
          public void giveUp() {
            result.tryComplete(timedOut(NO_CONNECTION, timeout));
          }
        });
    return result.future();
  }

  private void send(Message m, long timeout, Promise<AttemptResult> result, String host) {
    Context context = vertx.getOrCreateContext();
    HttpClientRequest[] sent = new HttpClientRequest[1];
    boolean[] answered = {false};
    Timeout deadline =
        deadlines.arm(
            timeout,
            () ->
                context.runOnContext(
                    v -> {
                      // Which phase ran out tells a dead host (no connection: lookup, connect) from
                      // a slow one (no response).
                      String phase = sent[0] == null ? NO_CONNECTION : NO_RESPONSE;
                      if (result.tryComplete(timedOut(phase, timeout)) && sent[0] != null) {
                        sent[0].reset(0, new TimeoutException("attempt deadline"));
                      }
                    }));
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.valueOf(m.method()))
            .setAbsoluteURI(m.url())
            .setConnectTimeout(timeout)
            // 3xx counts as a failed attempt; redirects are an SSRF vector
            .setFollowRedirects(false);
    // wraps the message's bytes instead of copying them (Buffer.buffer(byte[]) copies): an attempt
    // in flight holds its body once, which delivery's byte budget assumes
    // (docs/operations.md#overload-and-full-disks)
    Buffer body = BufferInternal.buffer(Unpooled.wrappedBuffer(m.body()));
    // The SSRF check, on the address actually connected to (see DestinationGuard); a refusal is a
    // failed attempt.
    Future<SocketAddress> route = guard.route(m.url());
    Future<HttpClientRequest> connected =
        route == DestinationGuard.DIRECT
            ? client.request(options)
            : route.compose(
                server -> {
                  if (result.future().isComplete())
                    return Future.failedFuture("attempt already over"); // deadline passed
                  return client.request(options.setServer(server));
                });
    connected
        .compose(
            request -> {
              if (result.future().isComplete()) {
                // the deadline passed while connecting: an attempt that has failed sends nothing
                request.reset();
                return Future.failedFuture("attempt already over");
              }
              sent[0] = request;
              putHeaders(request, m);
              return request.send(body);
            })
        .compose(
            response -> {
              answered[0] = true;
              return capture(response, m.callback() != null);
            })
        .onComplete(
            ar -> {
              deadline.cancel();
              result.tryComplete(
                  ar.succeeded() ? ar.result() : failure(AttemptFault.describe(ar.cause())));
              gate.leave(host, answered[0]);
            });
  }

  /**
   * Straight onto the request (no intermediate map to copy): forwarded headers, then QStash's own.
   */
  private void putHeaders(HttpClientRequest request, Message m) {
    m.headers()
        .forEach(
            (name, values) -> {
              if (values.size() == 1) {
                request.putHeader(name, values.get(0));
              } else {
                request.putHeader(name, values);
              }
            });
    request.putHeader(HttpHeaders.USER_AGENT, USER_AGENT);
    request.putHeader(MESSAGE_ID, m.id());
    request.putHeader(RETRIED, Integer.toString(m.retried()));
    if (m.topicName() != null) request.putHeader(TOPIC_NAME, m.topicName());
    if (m.scheduleId() != null) request.putHeader(SCHEDULE_ID, m.scheduleId());
    if (m.callerIp() != null) request.putHeader(CALLER_IP, m.callerIp());
    request.putHeader(
        SIGNATURE, signer.sign(keys.keys(m.tenant()).current(), m.url(), m.body(), clock.millis()));
  }

  /**
   * Reads the response, keeping at most maxResponseBodyBytes; a larger body is cut off and the
   * stream reset (so an endless body costs neither memory nor the rest of the deadline). A 2xx
   * response is only drained: nothing downstream reads a successful attempt's headers or body yet,
   * and copying them for every delivery was a measurable share of the delivery path's allocation. A
   * message with a callback keeps it (the callback body carries the response). A connection that
   * closes before the response is complete fails the attempt, whatever the status said: a cut-off
   * response is not an answer, and a retry is safe under at-least-once.
   */
  private Future<AttemptResult> capture(HttpClientResponse response, boolean keepSuccess) {
    Promise<AttemptResult> done = Promise.promise();
    int status = response.statusCode();
    int cap = config.maxResponseBodyBytes();
    long[] seen = {0};
    response.exceptionHandler(e -> done.tryComplete(failure(cutOff(e, status, seen[0]))));
    if (status >= 200 && status < 300 && !keepSuccess) {
      // nothing is kept, so reading on is cheap; giving up costs the keep-alive connection: allow
      // at least 1 MiB
      long drainLimit = Math.max(cap, DRAIN_AT_LEAST);
      response.handler(
          chunk -> {
            seen[0] += chunk.length();
            if (seen[0] > drainLimit
                && done.tryComplete(
                    new AttemptResult(status, Map.of(), EMPTY, null, clock.millis()))) {
              response.request().reset();
            }
          });
      response.endHandler(
          v -> done.tryComplete(new AttemptResult(status, Map.of(), EMPTY, null, clock.millis())));
      return done.future();
    }
    Buffer kept = Buffer.buffer();
    response.handler(
        chunk -> {
          seen[0] += chunk.length();
          int room = cap - kept.length();
          if (room > 0) kept.appendBuffer(chunk, 0, Math.min(room, chunk.length()));
          if (chunk.length() > room && done.tryComplete(result(response, kept))) {
            response.request().reset();
          }
        });
    response.endHandler(v -> done.tryComplete(result(response, kept)));
    return done.future();
  }

  private static String cutOff(Throwable e, int status, long bodyBytes) {
    String fault = AttemptFault.describe(e);
    if (AttemptFault.ofError(fault) != AttemptFault.RESET) return fault;
    return AttemptFault.RESET.text(
        "connection closed after HTTP "
            + status
            + " and "
            + bodyBytes
            + " body bytes, before the response was complete");
  }

  private AttemptResult result(HttpClientResponse response, Buffer body) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    response
        .headers()
        .forEach(
            h ->
                headers
                    .computeIfAbsent(HeaderNames.canonical(h.getKey()), k -> new ArrayList<>())
                    .add(h.getValue()));
    return new AttemptResult(response.statusCode(), headers, body.getBytes(), null, clock.millis());
  }

  /** A timeout in {@code phase} ({@link #NO_CONNECTION} or {@link #NO_RESPONSE}). */
  private AttemptResult timedOut(String phase, long timeout) {
    return failure(AttemptFault.TIMEOUT.text(phase + timeout + "ms"));
  }

  private AttemptResult failure(String error) {
    return new AttemptResult(0, Map.of(), new byte[0], error, clock.millis());
  }
}
