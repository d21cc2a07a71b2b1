package dev.ferry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.config.FerryConfig;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The warm-up before the API opens: a throwaway Ferry publishes and delivers on loopback for the
 * configured time, and leaves nothing behind.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WarmUpTest {
  private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));

  @Test
  void a_throwaway_ferry_publishes_and_delivers_for_the_length_then_is_gone(Vertx vertx)
      throws Exception {
    List<Path> before = warmUpDirectories();
    long started = System.nanoTime();
    long delivered =
        new WarmUp(vertx, FerryConfig.dev(), Duration.ofSeconds(2))
            .run()
            .await(30, TimeUnit.SECONDS);
    long took = (System.nanoTime() - started) / 1_000_000;
    assertTrue(delivered > 100, "delivered " + delivered);
    assertTrue(took >= 2000, "took " + took + " ms");
    assertEquals(before, warmUpDirectories(), "its store is deleted");
  }

  @Test
  void no_warm_up_by_default(Vertx vertx) throws Exception {
    assertEquals(Duration.ZERO, FerryConfig.dev().startup().warmUp());
    assertEquals(
        0L, new WarmUp(vertx, FerryConfig.dev(), Duration.ZERO).run().await(5, TimeUnit.SECONDS));
  }

  private static List<Path> warmUpDirectories() throws IOException {
    try (Stream<Path> files = Files.list(TMP)) {
      return files.filter(p -> p.getFileName().toString().startsWith("ferry-warm-up")).toList();
    }
  }
}
