package dev.ferry.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits for something to happen, with a deadline: {@code Polls.within(Duration.ofSeconds(10)).until(...)} or
 * {@code .untilAsserted(...)} (Awaitility). The condition is checked at once, then every 20 ms, on the calling
 * thread: conditions that send requests go through {@link TestFerry#await} / {@link OnContext} as any other call
 * from that thread would, and a condition that throws anything but an assertion failure fails the wait at once.
 */
public final class Polls {
  private static final Duration INTERVAL = Duration.ofMillis(20);

  private Polls() {}

  public static ConditionFactory within(Duration timeout) {
    return Awaitility.await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(INTERVAL).pollInSameThread();
  }

  /**
   * Waits until {@code condition} holds or the time is up, and does not fail either way: for callers whose own
   * assertion after the wait says best what went wrong (e.g. "expected 3 entries, got 2: ...").
   */
  public static void waitUpTo(Duration timeout, Callable<Boolean> condition) {
    try {
      within(timeout).until(condition);
    } catch (ConditionTimeoutException e) {
      // the caller asserts next
    }
  }
}
