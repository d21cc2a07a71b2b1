package dev.ferry.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.Ferry;
import dev.ferry.config.FerryConfig;
import dev.ferry.testing.Sink;
import dev.ferry.testing.TestConfigs;
import dev.ferry.testing.TestFerry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The management listener ({@code metrics.host}:{@code metrics.port}): {@code /metrics} is served
 * there and only there, since it names every tenant, queue and destination host; health answers on
 * both ports; the listener is up before readiness, answers through the whole shutdown and is closed
 * at its end; a port it cannot bind stops start-up.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ManagementListenerTest {
  @TempDir Path dir;

  @Test
  void metrics_are_served_on_the_management_port_and_not_on_the_api_port(Vertx vertx)
      throws Exception {
    Sink sink = Sink.startBlocking(vertx);
    try (TestFerry ferry = TestFerry.start(vertx, dir)) {
      assertEquals(201, ferry.publish(sink.url("/ok"), Map.of(), "x").statusCode());
      sink.await("/ok", 1, 10_000);
      assertNotEquals(ferry.port(), ferry.managementPort());

      HttpResponse<Buffer> scrape = ferry.getManagement("/metrics");
      assertEquals(200, scrape.statusCode());
      assertTrue(
          scrape.getHeader("Content-Type").startsWith("text/plain"),
          scrape.getHeader("Content-Type"));
      assertTrue(
          scrape.bodyAsString().contains("ferry_dlq_size{tenant=\"b\"}"),
          "every tenant is named there");

      // on the API port, /metrics is an unknown endpoint like any other, with or without a token
      HttpResponse<Buffer> api = ferry.get("/metrics");
      assertEquals(404, api.statusCode());
      assertEquals("no such endpoint: GET /metrics", api.bodyAsJsonObject().getString("error"));
      assertEquals(404, ferry.send(HttpMethod.GET, "/metrics", Map.of(), null).statusCode());
    }
  }

  @Test
  void health_answers_on_both_ports_and_the_management_port_serves_nothing_else(Vertx vertx)
      throws Exception {
    try (TestFerry ferry = TestFerry.start(vertx, dir)) {
      for (String path : new String[] {"/health/live", "/health/ready"}) {
        assertEquals(200, ferry.getManagement(path).statusCode(), "management " + path);
        assertEquals(200, ferry.get(path).statusCode(), "API " + path);
      }
      HttpResponse<Buffer> other = ferry.getManagement("/v2/keys");
      assertEquals(404, other.statusCode());
      assertTrue(
          other.bodyAsJsonObject().getString("error").startsWith("not found"),
          other.bodyAsString());
    }
  }

  @Test
  void
      readiness_on_the_management_port_turns_503_during_shutdown_and_the_listener_closes_at_its_end(
          Vertx vertx) throws Exception {
    Sink sink = Sink.startBlocking(vertx);
    sink.on("/slow", r -> new Sink.Reply(200, Map.of(), "", 1500));
    try (TestFerry ferry = TestFerry.start(vertx, dir)) {
      int management = ferry.managementPort();
      ferry.publish(sink.url("/slow"), Map.of(), "keeps the delivery drain busy");
      sink.await("/slow", 1, 10_000);

      Future<Void> closing = ferry.ferry().close();
      // the API has stopped accepting; the probe still gets an answer (not a refused connection)
      // while delivery drains
      assertEquals(503, ferry.getManagement("/health/ready").statusCode());
      assertEquals(200, ferry.getManagement("/health/live").statusCode());
      closing.await(15, TimeUnit.SECONDS);

      assertThrows(
          ConnectException.class,
          () -> new Socket("127.0.0.1", management).close(),
          "the management listener is closed");
    }
  }

  @Test
  void a_management_port_that_is_taken_stops_start_up_naming_it(Vertx vertx) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      FerryConfig config = TestConfigs.of(dir).set("metrics.port", port).build();

      Exception e =
          assertThrows(
              Exception.class, () -> Ferry.start(vertx, config).await(30, TimeUnit.SECONDS));

      assertTrue(
          e.getMessage()
              .startsWith(
                  "the management listener (metrics.host, metrics.port) cannot listen on "
                      + "127.0.0.1:"
                      + port
                      + ": "),
          e.getMessage());
    }
    // everything opened before the failed bind was closed again: the same data directory opens at
    // once
    try (TestFerry ferry = TestFerry.start(vertx, dir)) {
      assertEquals(200, ferry.getManagement("/health/ready").statusCode());
    }
  }
}
