package dev.ferry.bench;

import dev.ferry.tools.Percentiles;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The load generator: HTTP/1.1 keep-alive requests from the orchestrator's own JVM (never the
 * server's) to 127.0.0.1, over a fixed number of connections. Closed loop (each connection sends
 * its next request when the answer arrived) for throughput, a fixed count for preloading, open loop
 * at a fixed rate for latency. Every loop is bounded in time.
 */
final class Load {
  /** One request to send. */
  record Req(HttpMethod method, String uri, MultiMap headers, Buffer body) {}

  /** How long the priming requests of {@link #fixedRate} may take to open every connection. */
  static final Duration OPEN_WAIT = Duration.ofSeconds(30);

  /**
   * What a loop achieved: requests answered 2xx (in the window), failures, the window, the first
   * failure, and the slowest answer (ms from sending to the whole answer).
   */
  record Result(long ok, long errors, double seconds, String firstError, double slowestMillis) {
    double perSecond() {
      return ok / seconds;
    }
  }

  /**
   * Every {@code BODY_CHECK_EVERY}-th 2xx answer is also searched for {@code "error"} (batch
   * entries that failed).
   */
  private static final int BODY_CHECK_EVERY = 16;

  private final Vertx vertx;
  private final int port;
  private final Duration openWait;

  Load(Vertx vertx, int port) {
    this(vertx, port, OPEN_WAIT);
  }

  /** {@code openWait}: how long {@link #fixedRate}'s priming requests may take (tests). */
  Load(Vertx vertx, int port, Duration openWait) {
    this.vertx = vertx;
    this.port = port;
    this.openWait = openWait;
  }

  /**
   * {@code connections} loops send {@code next} requests back to back for {@code ramp + window};
   * answers that arrive inside the window are counted.
   */
  Result closedLoop(int connections, Supplier<Req> next, Duration ramp, Duration window) {
    long start = System.nanoTime();
    long from = start + ramp.toNanos();
    long until = from + window.toNanos();
    Counters c = new Counters();
    HttpClient client = client(connections);
    try {
      List<Future<Void>> loops = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        loops.add(loop(client, next, c, () -> System.nanoTime() < until, from, until));
      }
      Future.join(loops).await(ramp.plus(window).toSeconds() + 60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("load did not finish: " + e, e);
    } finally {
      client.close();
    }
    return new Result(
        c.ok.get(),
        c.errors.get(),
        window.toNanos() / 1e9,
        c.firstError.get(),
        c.slowestNanos.get() / 1e6);
  }

  /**
   * Sends exactly {@code total} requests over {@code connections} loops; the result's seconds is
   * the time taken.
   */
  Result count(int connections, long total, Supplier<Req> next, Duration timeout) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    AtomicLong issued = new AtomicLong();
    Counters c = new Counters();
    HttpClient client = client(connections);
    try {
      List<Future<Void>> loops = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        loops.add(
            loop(
                client,
                next,
                c,
                () -> issued.incrementAndGet() <= total && System.nanoTime() < deadline,
                start,
                Long.MAX_VALUE));
      }
      Future.join(loops).await(timeout.toSeconds() + 60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("load did not finish: " + e, e);
    } finally {
      client.close();
    }
    if (c.ok.get() + c.errors.get() < total) {
      throw new IllegalStateException(
          "only "
              + (c.ok.get() + c.errors.get())
              + " of "
              + total
              + " requests were sent within "
              + timeout);
    }
    return new Result(
        c.ok.get(),
        c.errors.get(),
        (System.nanoTime() - start) / 1e9,
        c.firstError.get(),
        c.slowestNanos.get() / 1e6);
  }

  /**
   * What an open loop saw besides its {@link Result}: how long answers took (from sending a request
   * to its whole answer) and how late the generator sent its requests against the schedule (the
   * timer's granularity and the generator's own stalls; such lag is not part of a lateness measured
   * from the moment of sending). Milliseconds.
   */
  record Paced(
      Result result, double answerP50, double answerP99, double sendLagP99, String openNote) {}

  /**
   * Open loop: {@code rate} requests per second for {@code duration}, each built by {@code next} at
   * the moment it is sent, whether or not earlier answers came back (over at most {@code
   * connections} connections). Before the clock starts, {@code connections} concurrent {@code GET
   * prime} requests open every connection: clients of a steady stream are already connected, and
   * opening connections inside the timed part (the pool grows whenever answers are slow) would add
   * the harness's connection set-up to the tail it measures.
   */
  Paced fixedRate(
      int connections, double rate, Duration duration, String prime, Supplier<Req> next) {
    Counters c = new Counters();
    HttpClient client = client(connections);
    String openNote = open(client, connections, prime);
    long start = System.nanoTime();
    long until = start + duration.toNanos();
    int total = (int) Math.round(rate * duration.toNanos() / 1e9);
    long[] answerNanos = new long[total]; // by request number; written once each, read after join
    long[] sendLagNanos = new long[total];
    AtomicLong sent = new AtomicLong();
    Promise<Void> allSent = Promise.promise();
    List<Future<?>> answers = new ArrayList<>(); // only touched on the timer's event loop
    vertx.setPeriodic(
        1,
        timer -> {
          long now = System.nanoTime();
          long target = now >= until ? total : Math.min(total, (long) ((now - start) / 1e9 * rate));
          while (sent.get() < target) {
            int i = (int) sent.getAndIncrement();
            sendLagNanos[i] = Math.max(0, now - (start + (long) (i * 1e9 / rate)));
            answers.add(
                send(client, next.get(), c, 0, Long.MAX_VALUE)
                    .onComplete(ar -> answerNanos[i] = System.nanoTime() - now));
          }
          if (now >= until) {
            vertx.cancelTimer(timer);
            allSent.complete();
          }
        });
    try {
      allSent.future().await(duration.toSeconds() + 30, TimeUnit.SECONDS);
      Future.join(new ArrayList<>(answers)).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("fixed-rate load did not finish: " + e, e);
    } finally {
      client.close();
    }
    Result result =
        new Result(
            c.ok.get(),
            c.errors.get(),
            duration.toNanos() / 1e9,
            c.firstError.get(),
            c.slowestNanos.get() / 1e6);
    Arrays.sort(answerNanos);
    Arrays.sort(sendLagNanos);
    return new Paced(
        result,
        Percentiles.of(answerNanos, total, 50) / 1e6,
        Percentiles.of(answerNanos, total, 99) / 1e6,
        Percentiles.of(sendLagNanos, total, 99) / 1e6,
        openNote);
  }

  /**
   * Opens the connections with one {@code GET uri} each; null once all answered. When some have not
   * answered within the open wait ({@link #OPEN_WAIT}; seen twice in full runs, never reproduced in
   * isolation) the run goes on with the connections that are open and the returned note says how
   * many; it fails only when none opened or a priming request was refused.
   */
  private String open(HttpClient client, int connections, String uri) {
    List<Future<?>> opened = new ArrayList<>();
    Counters priming = new Counters(); // kept apart from the measured run's counts
    for (int i = 0; i < connections; i++) {
      opened.add(
          send(client, new Req(HttpMethod.GET, uri, null, null), priming, 0, Long.MAX_VALUE));
    }
    String note = null;
    try {
      Future.join(opened).await(openWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      long answered = opened.stream().filter(Future::isComplete).count();
      if (answered == 0) {
        throw new IllegalStateException(
            "could not open the connections: none of " + connections + " answered in " + openWait);
      }
      note =
          "only "
              + answered
              + " of "
              + connections
              + " connections answered their priming request within "
              + openWait.toMillis()
              + " ms; the run used those";
    } catch (Exception e) {
      throw new IllegalStateException("could not open the connections: " + e, e);
    }
    if (priming.errors.get() > 0) {
      throw new IllegalStateException(
          "opening the connections failed: " + priming.firstError.get());
    }
    return note;
  }

  private HttpClient client(int connections) {
    return vertx
        .httpClientBuilder()
        .with(
            new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setDefaultHost(Control.HOST)
                .setDefaultPort(port)
                .setPipelining(false))
        .with(new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1))
        .build();
  }

  private Future<Void> loop(
      HttpClient client, Supplier<Req> next, Counters c, Keep keep, long from, long until) {
    Promise<Void> done = Promise.promise();
    step(client, next, c, keep, from, until, done);
    return done.future();
  }

  private void step(
      HttpClient client,
      Supplier<Req> next,
      Counters c,
      Keep keep,
      long from,
      long until,
      Promise<Void> done) {
    if (!keep.going()) {
      done.complete();
      return;
    }
    send(client, next.get(), c, from, until)
        .onComplete(ar -> step(client, next, c, keep, from, until, done));
  }

  /** Sends one request and records its answer if it arrives within [from, until); never fails. */
  private Future<Void> send(HttpClient client, Req r, Counters c, long from, long until) {
    long sent = System.nanoTime();
    RequestOptions options =
        new RequestOptions().setMethod(r.method()).setURI(r.uri()).setIdleTimeout(60_000);
    // a copy per request: the same Req is sent from several event loops at once
    if (r.headers() != null) options.setHeaders(HttpHeaders.headers().addAll(r.headers()));
    return client
        .request(options)
        .compose(req -> r.body() == null ? req.send() : req.send(r.body()))
        .compose(
            resp ->
                resp.body()
                    .map(
                        body -> {
                          long at = System.nanoTime();
                          c.slowestNanos.accumulateAndGet(at - sent, Math::max);
                          boolean ok = resp.statusCode() / 100 == 2;
                          if (ok
                              && c.checked.incrementAndGet() % BODY_CHECK_EVERY == 0
                              && body.toString().contains("\"error\"")) {
                            ok = false;
                          }
                          if (!ok) {
                            c.error(resp.statusCode() + " " + abbreviate(body.toString()));
                          } else if (at >= from && at < until) {
                            c.ok.incrementAndGet();
                          }
                          return (Void) null;
                        }))
        .recover(
            e -> {
              c.error(e.toString());
              return Future.succeededFuture();
            });
  }

  private static String abbreviate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "...";
  }

  @FunctionalInterface
  private interface Keep {
    boolean going();
  }

  private static final class Counters {
    final AtomicLong ok = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong checked = new AtomicLong();
    final AtomicLong slowestNanos = new AtomicLong();
    final AtomicReference<String> firstError = new AtomicReference<>();

    void error(String description) {
      errors.incrementAndGet();
      firstError.compareAndSet(null, description);
    }
  }
}
