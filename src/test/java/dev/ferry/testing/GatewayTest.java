package dev.ferry.testing;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the HTTP integration tests: a fresh Ferry on a temporary store and a recording sink, per
 * test.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class GatewayTest {
  @TempDir protected Path dir;
  protected TestFerry ferry;
  protected Sink sink;

  @BeforeEach
  void startGateway(Vertx vertx) throws Exception {
    sink = Sink.startBlocking(vertx);
    ferry = TestFerry.start(vertx, TestFerry.config(dir), clock());
  }

  /** The clock Ferry runs on; a test class overrides it with a {@link TestClock} to move time. */
  protected Clock clock() {
    return Clock.systemUTC();
  }

  @AfterEach
  void stopGateway() throws Exception {
    ferry.close();
  }
}
