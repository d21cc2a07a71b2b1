package dev.ferry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.Polls;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/architecture.md#crash-and-overload-checker: SIGTERM to a Ferry in its own JVM while clients
 * publish and delivery runs to fast, slow and very slow destinations. It must exit within {@code
 * shutdown.gracePeriod} plus a small margin with code 143 (the JVM's exit code after SIGTERM);
 * publishes during the drain are refused (503 or a refused connection), never lost; after a restart
 * every publish that got a 2xx is delivered, and duplicates are at most the attempts in flight at
 * SIGTERM (those outliving the grace period are delivered again). Prints the checker's counts.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GracefulShutdownTest {
  private static final long GRACE_MILLIS = 6000;

  /**
   * JVM exit and scheduling on a loaded machine; the hook halts at the grace period whatever is
   * left.
   */
  private static final long EXIT_MARGIN_MILLIS = 5000;

  private static final Pattern IN_FLIGHT =
      Pattern.compile("shutdown: (\\d+) delivery attempts in flight");
  private static final Pattern ABANDONED =
      Pattern.compile("shutdown: (\\d+) delivery attempts still running");

  @TempDir Path dir;

  /**
   * The destination: records each arrival and each completed 2xx answer (a delivery), per message
   * id.
   */
  private static final class Destination {
    final Map<String, AtomicInteger> arrivals = new ConcurrentHashMap<>();
    final Set<String> delivered = ConcurrentHashMap.newKeySet();
    final AtomicBoolean glacial = new AtomicBoolean(true);
    final AtomicInteger glacialArrivals = new AtomicInteger();
    HttpServer server;

    void start(Vertx vertx) throws Exception {
      server =
          vertx
              .createHttpServer()
              .requestHandler(
                  req ->
                      req.body()
                          .onSuccess(
                              b -> {
                                String id = req.getHeader("Upstash-Message-Id");
                                arrivals
                                    .computeIfAbsent(id, k -> new AtomicInteger())
                                    .incrementAndGet();
                                if (req.path().equals("/glacial"))
                                  glacialArrivals.incrementAndGet();
                                long delay =
                                    req.path().equals("/medium")
                                        ? 1000
                                        : req.path().equals("/glacial") && glacial.get()
                                            ? 60_000
                                            : 0;
                                Runnable answer =
                                    () -> {
                                      if (!req.response().closed())
                                        req.response().end().onSuccess(v -> delivered.add(id));
                                    };
                                if (delay == 0) answer.run();
                                else vertx.setTimer(delay, t -> answer.run());
                              }))
              .listen(0, "127.0.0.1")
              .await(10, TimeUnit.SECONDS);
    }

    String url(String path) {
      return "http://127.0.0.1:" + server.actualPort() + path;
    }
  }

  @Test
  void sigterm_under_load_drains_exits_in_time_and_loses_nothing(Vertx vertx) throws Exception {
    Destination destination = new Destination();
    destination.start(vertx);
    FerryProcess ferry =
        FerryProcess.create(
            vertx,
            dir,
            new JsonObject()
                .put("http", new JsonObject().put("drainTimeout", "3s"))
                .put("shutdown", new JsonObject().put("gracePeriod", GRACE_MILLIS / 1000 + "s")));
    int port = ferry.port();
    WebClient client = ferry.client();
    Set<String> accepted = ConcurrentHashMap.newKeySet();
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger connectionFailures = new AtomicInteger();
    List<String> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
    AtomicBoolean publishing = new AtomicBoolean(true);

    ferry.startAndAwaitUp();
    long exitMillis;
    int exitCode;
    try {
      List<Thread> publishers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        Thread publisher =
            new Thread(
                () -> {
                  for (int i = 0; publishing.get(); i++) {
                    String path = i % 10 == 0 ? "/glacial" : i % 10 < 3 ? "/medium" : "/fast";
                    try {
                      HttpResponse<Buffer> r =
                          client
                              .post(port, "127.0.0.1", "/v2/publish/" + destination.url(path))
                              .bearerTokenAuthentication(FerryProcess.TOKEN)
                              .sendBuffer(Buffer.buffer("m" + thread + "-" + i))
                              .await(10, TimeUnit.SECONDS);
                      if (r.statusCode() == 201) {
                        accepted.add(r.bodyAsJsonObject().getString("messageId"));
                      } else if (r.statusCode() == 503) {
                        refused.incrementAndGet();
                      } else {
                        unexpected.add(r.statusCode() + " " + r.bodyAsString());
                      }
                    } catch (Exception e) {
                      connectionFailures
                          .incrementAndGet(); // the listener is closed during the drain
                      sleepQuietly(5); // pacing the retrying publisher, not waiting for a condition
                    }
                  }
                },
                "publisher-" + t);
        publisher.start();
        publishers.add(publisher);
      }
      // load runs until attempts to every kind of destination are in flight
      Polls.waitUpTo(
          Duration.ofSeconds(30),
          () ->
              accepted.size() >= 300
                  && destination.arrivals.size() >= 100
                  && destination.glacialArrivals.get() >= 5);
      long sigterm = System.nanoTime();
      ferry.sigterm();
      exitCode = ferry.awaitExit(GRACE_MILLIS + EXIT_MARGIN_MILLIS + 20_000);
      assertTrue(exitCode >= 0, "Ferry never exited");
      exitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sigterm);
      Thread.sleep(
          200); // the load goes on a moment after the exit: those publishes must fail, not vanish
      publishing.set(false);
      for (Thread p : publishers) p.join(15_000);
    } finally {
      publishing.set(false);
      if (ferry.isAlive()) ferry.kill9();
    }
    String log = ferry.logText();
    int inFlight = firstInt(IN_FLIGHT, log);
    int abandoned = firstInt(ABANDONED, log);
    assertEquals(143, exitCode, "exit code after SIGTERM; log:\n" + log);
    assertTrue(exitMillis <= GRACE_MILLIS + EXIT_MARGIN_MILLIS, "exit took " + exitMillis + "ms");
    assertTrue(unexpected.isEmpty(), "publishes answered neither 201 nor 503: " + unexpected);

    destination.glacial.set(false); // after the restart, every destination answers promptly
    ferry.startAndAwaitUp();
    try {
      Polls.waitUpTo(Duration.ofSeconds(60), () -> destination.delivered.containsAll(accepted));
    } finally {
      ferry.stop();
    }
    Set<String> lost = new HashSet<>(accepted);
    lost.removeAll(destination.delivered);
    int duplicates =
        destination.arrivals.values().stream().mapToInt(n -> Math.max(0, n.get() - 1)).sum();
    Set<String> strangers = new HashSet<>(destination.arrivals.keySet());
    strangers.removeAll(
        accepted); // stored, but the client saw no 2xx (its connection broke): allowed, counted
    System.out.printf(
        "SIGTERM under load: accepted=%d refused503=%d connectionFailures=%d inFlightAtSigterm=%d "
            + "abandoned=%d exitMillis=%d exitCode=%d lost=%d duplicates=%d unacknowledgedButDelivered=%d%n",
        accepted.size(),
        refused.get(),
        connectionFailures.get(),
        inFlight,
        abandoned,
        exitMillis,
        exitCode,
        lost.size(),
        duplicates,
        strangers.size());
    assertTrue(lost.isEmpty(), lost.size() + " accepted messages never delivered: " + lost);
    assertTrue(
        duplicates <= inFlight,
        duplicates + " duplicates > " + inFlight + " attempts in flight at SIGTERM");
    assertTrue(
        abandoned >= 1,
        "the glacial destination's attempts outlive the grace period; log:\n" + log);
    assertTrue(
        strangers.size() <= connectionFailures.get(),
        "delivered messages nobody published: " + strangers);
  }

  private static int firstInt(Pattern p, String text) {
    Matcher m = p.matcher(text);
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
