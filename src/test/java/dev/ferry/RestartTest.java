package dev.ferry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.Polls;
import dev.ferry.testing.Sink;
import dev.ferry.testing.TestFerry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing answered 2xx is lost across a restart — a graceful one, and a {@code kill -9} of a
 * separate JVM ({@link FerryProcess}; the crash tests in {@code dev.ferry.crash} do the same under
 * load, with a checker).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RestartTest {
  @TempDir Path dir;

  @Test
  void pending_delayed_failing_and_queued_messages_survive_a_restart(Vertx vertx) throws Exception {
    Sink sink = Sink.startBlocking(vertx);
    int[] flaky = {0};
    sink.on("/failing", r -> Sink.Reply.status(++flaky[0] == 1 ? 500 : 200));
    try (TestFerry ferry = TestFerry.start(vertx, dir)) {
      ferry.publish(sink.url("/delayed"), Map.of("Upstash-Delay", "2s"), "later");
      ferry.publish(sink.url("/failing"), Map.of("Upstash-Retry-Delay", "1500"), "again");
      ferry.send(
          HttpMethod.POST,
          "/v2/queues",
          Map.of(),
          "{\"queueName\":\"held\",\"parallelism\":1,\"paused\":true}");
      ferry.send(HttpMethod.POST, "/v2/enqueue/held/" + sink.url("/queued"), Map.of(), "q1");
      ferry.send(HttpMethod.POST, "/v2/enqueue/held/" + sink.url("/queued"), Map.of(), "q2");
      sink.await("/failing", 1, 10_000);

      ferry.restart();

      assertEquals("later", sink.await("/delayed", 1, 10_000).get(0).body().toString());
      List<Sink.Received> retried = sink.await("/failing", 2, 10_000);
      assertEquals("1", retried.get(1).header("Upstash-Retried"));
      assertEquals(
          retried.get(0).header("Upstash-Message-Id"), retried.get(1).header("Upstash-Message-Id"));
      Thread.sleep(300); // the time under test: nothing of the paused queue goes out meanwhile
      assertEquals(
          0, sink.received("/queued").size(), "a paused queue stays paused after a restart");
      ferry.send(HttpMethod.POST, "/v2/queues/held/resume", Map.of(), null);
      List<Sink.Received> queued = sink.await("/queued", 2, 10_000);
      assertEquals(List.of("q1", "q2"), queued.stream().map(r -> r.body().toString()).toList());
    }
  }

  @Test
  void kill_minus_nine_loses_no_accepted_message(Vertx vertx) throws Exception {
    Sink sink = Sink.startBlocking(vertx);
    sink.on(
        "/slow",
        r -> new Sink.Reply(200, Map.of(), "", 10_000)); // keeps attempts in flight at the kill
    Set<String> accepted = new HashSet<>();

    try (FerryProcess ferry = FerryProcess.create(vertx, dir, new JsonObject()).startAndAwaitUp()) {
      for (int i = 0; i < 20; i++) {
        JsonArray batch = new JsonArray();
        for (int j = 0; j < 10; j++) {
          boolean delayed = j % 5 == 4;
          String path = delayed ? "/delayed" : j % 3 == 0 ? "/slow" : "/fast";
          JsonObject entry =
              new JsonObject().put("destination", sink.url(path)).put("body", "m" + i + "-" + j);
          if (delayed) entry.put("headers", new JsonObject().put("Upstash-Delay", "2s"));
          batch.add(entry);
        }
        HttpResponse<Buffer> r =
            ferry
                .client()
                .post(ferry.port(), "127.0.0.1", "/v2/batch")
                .bearerTokenAuthentication(FerryProcess.TOKEN)
                .sendBuffer(batch.toBuffer())
                .await(10, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.bodyAsString());
        r.bodyAsJsonArray().forEach(e -> accepted.add(((JsonObject) e).getString("messageId")));
      }
      sink.await(
          "/slow", 60, 20_000); // all of them in flight now: the sink answers only after 10 s
      ferry.kill9(); // SIGKILL: no shutdown hook runs
      assertEquals(200, accepted.size());

      ferry.startAndAwaitUp();
      Set<String> delivered = new HashSet<>();
      Map<String, Long> slowArrivals = new java.util.HashMap<>();
      Polls.waitUpTo(
          Duration.ofSeconds(30),
          () -> {
            sink.received().forEach(r -> delivered.add(r.header("Upstash-Message-Id")));
            slowArrivals.clear();
            sink.received("/slow")
                .forEach(r -> slowArrivals.merge(r.header("Upstash-Message-Id"), 1L, Long::sum));
            return delivered.containsAll(accepted)
                && slowArrivals.values().stream().allMatch(n -> n >= 2);
          });
      Set<String> missing = new HashSet<>(accepted);
      missing.removeAll(delivered);
      assertTrue(
          missing.isEmpty(), missing.size() + " accepted messages never delivered: " + missing);
      // attempts that were in flight at the kill are attempted again: at-least-once, same message
      // id
      assertEquals(60, slowArrivals.size());
      slowArrivals.forEach(
          (id, n) ->
              assertTrue(n >= 2, id + " was in flight at the kill but arrived " + n + " time(s)"));
      ferry.stop();
    }
  }
}
