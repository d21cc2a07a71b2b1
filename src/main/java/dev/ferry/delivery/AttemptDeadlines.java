package dev.ferry.delivery;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import java.util.concurrent.TimeUnit;

/**
 * The total deadlines of in-flight attempts, on one hashed timing wheel (10 ms ticks) with its own
 * thread. Every attempt arms a deadline and nearly every one is cancelled a few milliseconds later;
 * on the event loops' timer heaps each of those costs O(log n) in the number of attempts in flight,
 * on the wheel O(1). Expiry runs on the wheel's thread: the callback hops to its own context. Built
 * once in {@code Ferry}, stopped on close.
 */
public final class AttemptDeadlines implements AutoCloseable {
  private final HashedWheelTimer wheel =
      new HashedWheelTimer(
          r -> {
            Thread t = new Thread(r, "ferry-attempt-deadlines");
            t.setDaemon(true);
            return t;
          },
          10,
          TimeUnit.MILLISECONDS,
          1024);

  /**
   * Runs {@code onExpiry} (on the wheel's thread) after {@code millis} unless the returned timeout
   * is cancelled.
   */
  Timeout arm(long millis, Runnable onExpiry) {
    return wheel.newTimeout(t -> onExpiry.run(), millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    wheel.stop();
  }
}
