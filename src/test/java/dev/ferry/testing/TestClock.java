package dev.ferry.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A wall clock a test can move: it runs at real speed from wherever the test last put it ({@link
 * #jumpTo}), so timers and delays keep working while cron ticks, DST transitions and dedup windows
 * are reached at once. Thread-safe.
 */
public final class TestClock extends Clock {
  private final AtomicLong offset = new AtomicLong();

  public TestClock(Instant start) {
    jumpTo(start);
  }

  /** From now on the clock reads {@code to}, and keeps running. */
  public void jumpTo(Instant to) {
    offset.set(to.toEpochMilli() - System.currentTimeMillis());
  }

  /**
   * This clock's reading at the real (system) time {@code realMillis}, e.g. when a sink received a
   * request.
   */
  public long at(long realMillis) {
    return realMillis + offset.get();
  }

  @Override
  public long millis() {
    return System.currentTimeMillis() + offset.get();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a TestClock is UTC");
  }
}
