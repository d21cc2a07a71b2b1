package dev.ferry.lifecycle;

import dev.ferry.store.DlqStore;
import dev.ferry.store.LogStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expires log entries after {@code logs.retention} and DLQ entries after {@code dlq.retention}, and
 * forgets old cancelled ids. Runs periodically on a Vert.x timer; each step is a bounded batch done
 * on the stores' own threads (log deletes on the log store's reader, DLQ deletes as one small
 * unsynced write), batches run one after another, and a run does at most {@link
 * #MAX_BATCHES_PER_RUN} of each, so expiry never holds the publish path's writer for long.
 * Delivered, failed and canceled messages need no expiry: they leave the message store at that
 * transition.
 */
public final class Retention {
  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
  static final int LOG_BATCH = 10_000;
  static final int DLQ_BATCH = 1_000;
  static final int MAX_BATCHES_PER_RUN = 100;

  private final Vertx vertx;
  private final LogStore logs;
  private final DlqStore dlq;
  private final Cancellations cancellations;
  private final Duration logRetention;
  private final Duration dlqRetention;
  private final LongSupplier clock;
  private final Runnable dlqExpired;
  private long timer = -1;
  private boolean running;

  /**
   * @param dlqExpired told after a run that expired DLQ entries (the DLQ-size gauges recount)
   */
  public Retention(
      Vertx vertx,
      LogStore logs,
      DlqStore dlq,
      Cancellations cancellations,
      Duration logRetention,
      Duration dlqRetention,
      LongSupplier clock,
      Runnable dlqExpired) {
    this.vertx = vertx;
    this.logs = logs;
    this.dlq = dlq;
    this.cancellations = cancellations;
    this.logRetention = logRetention;
    this.dlqRetention = dlqRetention;
    this.clock = clock;
    this.dlqExpired = dlqExpired;
  }

  public void start(Duration period) {
    timer =
        vertx.setPeriodic(
            period.toMillis(),
            t -> {
              if (running) return;
              running = true;
              runOnce()
                  .onComplete(
                      ar -> {
                        running = false;
                        if (ar.failed())
                          LOG.warn(
                              "retention run failed; next run retries: {}", ar.cause().toString());
                      });
            });
  }

  public void stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
  }

  /**
   * One pass: logs, then the DLQ, then the cancelled-id set. Completes with how many entries were
   * removed.
   */
  public Future<Long> runOnce() {
    long now = clock.getAsLong();
    cancellations.sweep();
    return repeat(() -> logs.expire(now - logRetention.toMillis(), LOG_BATCH), LOG_BATCH, 0, 0)
        .compose(
            l ->
                repeat(() -> dlq.expire(now - dlqRetention.toMillis(), DLQ_BATCH), DLQ_BATCH, 0, 0)
                    .map(
                        d -> {
                          if (d > 0) dlqExpired.run();
                          if (l + d > 0)
                            LOG.debug("retention removed {} log entries and {} dlq entries", l, d);
                          return l + d;
                        }));
  }

  private interface Step {
    Future<Integer> run();
  }

  private Future<Long> repeat(Step step, int batch, int batches, long total) {
    return step.run()
        .compose(
            n ->
                n >= batch && batches + 1 < MAX_BATCHES_PER_RUN
                    ? repeat(step, batch, batches + 1, total + n)
                    : Future.succeededFuture(total + n));
  }
}
