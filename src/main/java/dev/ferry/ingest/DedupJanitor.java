package dev.ferry.ingest;

import dev.ferry.store.MessageStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reclaims expired deduplication records in bounded steps: every {@code period}, up to {@link
 * #MAX_STEPS} purges of {@link #STEP} records each, one after the other, so it never holds the
 * store's writer for long. Expired records are already ignored by publishes; this only keeps the
 * store from growing. Single instance.
 */
public final class DedupJanitor extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(DedupJanitor.class);
  static final int STEP = 1000;
  static final int MAX_STEPS = 50;

  private final MessageStore messages;
  private final Duration period;
  private final Clock clock;
  private long timerId = -1;
  private boolean running;

  public DedupJanitor(MessageStore messages, Duration period, Clock clock) {
    this.messages = messages;
    this.period = period;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    timerId =
        vertx.setPeriodic(
            period.toMillis(),
            t -> {
              if (!running) {
                running = true;
                step(0);
              }
            });
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timerId);
    return Future.succeededFuture();
  }

  private void step(int done) {
    messages
        .purgeExpiredDedup(clock.millis(), STEP)
        .onComplete(
            ar -> {
              if (ar.succeeded() && ar.result() == STEP && done + 1 < MAX_STEPS) {
                step(done + 1);
                return;
              }
              if (ar.failed()) {
                LOG.warn(
                    "purging expired dedup records failed (retried next period): {}",
                    ar.cause().toString());
              }
              running = false;
            });
  }
}
