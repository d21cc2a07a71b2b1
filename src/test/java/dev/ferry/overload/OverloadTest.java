package dev.ferry.overload;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short overload run for CI (see {@link OverloadRun}): a 96 MB heap, 600 publishers of 64 KiB
 * bodies (about 38 MB of bodies in flight, more than the default budget of a quarter of the heap)
 * for 5 s, twice. The long one is {@code OverloadSoakTest} in the {@code soak} profile.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class OverloadTest {
  @TempDir Path dir;

  @Test
  void a_flood_on_a_small_heap_is_shed_with_retry_after_and_every_acknowledged_message_is_delivered(
      Vertx vertx) throws Exception {
    OverloadRun.run(vertx, dir, "96m", 600, 64 * 1024, 5_000, 2, 0);
  }
}
