package dev.ferry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.config.FerryConfig;
import dev.ferry.testing.Sink;
import dev.ferry.testing.TestConfigs;
import dev.ferry.testing.TestFerry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code delivery.globalParallelism} caps flow-controlled attempts across keys (and partitions).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GlobalParallelismTest {
  @TempDir Path dir;

  @Test
  void keys_together_never_exceed_the_global_cap(Vertx vertx) throws Exception {
    Sink sink = Sink.startBlocking(vertx);
    FerryConfig config = TestConfigs.of(dir).set("delivery.globalParallelism", 3).build();
    try (TestFerry ferry = TestFerry.start(vertx, config)) {
      sink.on("/g", r -> new Sink.Reply(200, Map.of(), "", 80));
      for (int i = 0; i < 24; i++) {
        assertEquals(
            201,
            ferry
                .publish(
                    sink.url("/g"),
                    Map.of(
                        "Upstash-Flow-Control-Key",
                        "key-" + (i % 6),
                        "Upstash-Flow-Control-Value",
                        "parallelism=5"),
                    "m" + i)
                .statusCode());
      }
      JsonObject during =
          ferry.send(HttpMethod.GET, "/v2/globalParallelism", Map.of(), null).bodyAsJsonObject();
      assertEquals(3, during.getInteger("parallelismMax"));
      sink.await("/g", 24, 20_000);
      assertTrue(sink.maxConcurrent("/g") <= 3, "max in flight " + sink.maxConcurrent("/g"));
      assertEquals(3, sink.maxConcurrent("/g"));
    }
  }
}
