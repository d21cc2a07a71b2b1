package dev.ferry.overload;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The long overload run ({@code mvn -B -Psoak verify}): five floods of a minute each, 1000
 * publishers of 64 KiB on a 96 MB heap, recovery checked after each; up to 5% of the requests may
 * end unanswered (client timeout of 60 s) as long as nothing acknowledged is lost. Needs several GB
 * of free disk for what is acknowledged.
 */
@Tag("soak")
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.MINUTES)
class OverloadSoakTest {
  @TempDir Path dir;

  @Test
  void repeated_minute_long_floods_on_a_small_heap_never_exhaust_memory_and_lose_nothing(
      Vertx vertx) throws Exception {
    OverloadRun.run(vertx, dir, "96m", 1000, 64 * 1024, 60_000, 5, 0.05);
  }
}
