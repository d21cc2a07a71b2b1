package dev.ferry.metrics;

import static dev.ferry.metrics.FerryMetrics.STORE_COMMIT_DURATION;
import static dev.ferry.metrics.FerryMetrics.STORE_COMMIT_FAILURES;
import static dev.ferry.metrics.FerryMetrics.STORE_COMMIT_SIZE;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The embedded store's group-commit meters: duration (synced or not), size and failures. */
final class StoreCommitMeters {
  private static final Duration[] COMMIT_BUCKETS =
      FerryMetrics.seconds(
          0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5);
  private static final double[] GROUP_SIZE_BUCKETS = {
    1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2048
  };

  private final MeterRegistry registry;
  private final Timer commitSynced;
  private final Timer commitUnsynced;
  private final DistributionSummary commitSize;
  private final Counter commitFailures;

  StoreCommitMeters(MeterRegistry registry) {
    this.registry = registry;
    commitSynced = commitTimer(true);
    commitUnsynced = commitTimer(false);
    commitSize =
        DistributionSummary.builder(STORE_COMMIT_SIZE)
            .baseUnit("operations")
            .description("Operations per group commit of the embedded store")
            .serviceLevelObjectives(GROUP_SIZE_BUCKETS)
            .register(registry);
    commitFailures =
        Counter.builder(STORE_COMMIT_FAILURES)
            .description(
                "Group commits of the embedded store that failed (every operation in them failed)")
            .register(registry);
  }

  void committed(int operations, long nanos, boolean synced) {
    (synced ? commitSynced : commitUnsynced).record(nanos, TimeUnit.NANOSECONDS);
    commitSize.record(operations);
  }

  void failed() {
    commitFailures.increment();
  }

  private Timer commitTimer(boolean synced) {
    return Timer.builder(STORE_COMMIT_DURATION)
        .description("Time of one group commit (RocksDB write, plus the WAL fsync when synced)")
        .tag("synced", Boolean.toString(synced))
        .serviceLevelObjectives(COMMIT_BUCKETS)
        .register(registry);
  }
}
