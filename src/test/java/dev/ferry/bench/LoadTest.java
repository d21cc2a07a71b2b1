package dev.ferry.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The open-loop generator's connection priming against a real server: connections whose priming
 * request never answers are noted and the run goes on over the others; a server that answers none
 * fails the run.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoadTest {
  private Vertx vertx;
  private final AtomicInteger primes = new AtomicInteger();
  private final AtomicInteger posts = new AtomicInteger();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void all_connections_primed_leaves_no_note_and_every_request_is_answered() {
    int port = server(Integer.MAX_VALUE);

    Load.Paced paced = run(port, 3);

    assertNull(paced.openNote());
    assertEquals(3, primes.get());
    assertEquals(40, paced.result().ok());
    assertEquals(0, paced.result().errors());
  }

  @Test
  void a_priming_request_that_never_answers_is_noted_and_the_run_uses_the_open_connections() {
    int port = server(2); // the third priming request hangs, holding its connection

    Load.Paced paced = run(port, 3);

    assertTrue(paced.openNote().startsWith("only 2 of 3 connections answered"), paced.openNote());
    assertEquals(40, paced.result().ok(), "the run went on over the two open connections");
    assertEquals(40, posts.get());
  }

  @Test
  void a_server_that_answers_no_priming_request_fails_the_run() {
    int port = server(0);

    IllegalStateException e = assertThrows(IllegalStateException.class, () -> run(port, 2));
    assertTrue(e.getMessage().contains("none of 2 answered"), e.getMessage());
  }

  private Load.Paced run(int port, int connections) {
    return new Load(vertx, port, Duration.ofSeconds(1))
        .fixedRate(
            connections,
            40,
            Duration.ofSeconds(1),
            "/prime",
            () -> new Load.Req(HttpMethod.POST, "/work", null, null));
  }

  /** Answers the first {@code answeredPrimes} GETs and every POST; later GETs never answer. */
  private int server(int answeredPrimes) {
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                req -> {
                  if (req.method() == HttpMethod.GET) {
                    if (primes.incrementAndGet() <= answeredPrimes) req.response().end("ok");
                  } else {
                    posts.incrementAndGet();
                    req.response().end("ok");
                  }
                })
            .listen(0, "127.0.0.1")
            .await();
    return server.actualPort();
  }
}
