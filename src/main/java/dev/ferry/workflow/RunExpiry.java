package dev.ferry.workflow;

import dev.ferry.store.WorkflowRunStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forgets workflow runs that ended more than the retention ago (their steps with them), once a
 * minute, in slices so one sweep never holds the store's writer long. Until then an ended run is in
 * the logs, and its id still answers a repeated trigger "deduplicated".
 */
final class RunExpiry {
  private static final Logger LOG = LoggerFactory.getLogger(RunExpiry.class);
  private static final int SLICE = 500;
  private static final Duration PERIOD = Duration.ofMinutes(1);

  private final Vertx vertx;
  private final WorkflowRunStore runs;
  private final Clock clock;

  RunExpiry(Vertx vertx, WorkflowRunStore runs, Clock clock) {
    this.vertx = vertx;
    this.runs = runs;
    this.clock = clock;
  }

  void start(Duration retention) {
    if (retention.isZero()) return;
    long period = Math.min(PERIOD.toMillis(), Math.max(1000, retention.toMillis()));
    vertx.setPeriodic(period, id -> sweep(clock.millis() - retention.toMillis()));
  }

  /** Expires every run that ended before {@code cutoff}; completes with how many. */
  Future<Integer> sweep(long cutoff) {
    return runs.expire(cutoff, SLICE)
        .compose(n -> n < SLICE ? Future.succeededFuture(n) : sweep(cutoff).map(m -> n + m))
        .onFailure(e -> LOG.warn("expiring ended workflow runs failed; next sweep retries", e));
  }
}
