package dev.ferry.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits for something to happen, with a deadline: {@code
 * Polls.within(Duration.ofSeconds(10)).until(...)} or {@code .untilAsserted(...)} (Awaitility). The
 * condition is checked at once, then every 20 ms, on the calling thread (never a Vert.x thread):
 * conditions that send requests go through {@link TestFerry#await} / {@link OnContext} as any other
 * call from that thread would. In {@code until}, anything the condition throws (an assertion
 * failure too) ends the wait at once; in {@code untilAsserted}, an assertion failure means "not
 * yet" and the last one is reported at the deadline.
 */
public final class Polls {
  private static final Duration INTERVAL = Duration.ofMillis(20);

  private Polls() {}

  public static ConditionFactory within(Duration timeout) {
    return Awaitility.await()
        .atMost(timeout)
        .pollDelay(Duration.ZERO)
        .pollInterval(INTERVAL)
        .pollInSameThread();
  }

  /**
   * Waits until {@code condition} holds or the time is up, and does not fail either way: for
   * callers whose own assertion after the wait says best what went wrong (e.g. "expected 3 entries,
   * got 2: ...").
   */
  public static void waitUpTo(Duration timeout, Callable<Boolean> condition) {
    waitUpTo(timeout, INTERVAL, condition);
  }

  /**
   * As above, checking every {@code interval} (a condition that sends a request, say, at a gentler
   * pace).
   */
  public static void waitUpTo(Duration timeout, Duration interval, Callable<Boolean> condition) {
    try {
      within(timeout).pollInterval(interval).until(condition);
    } catch (ConditionTimeoutException e) {
      // the caller asserts next
    }
  }

  /**
   * No fixed deadline: for waits whose condition decides when to give up itself (e.g. "delivery
   * made no progress for a minute"), checked every {@code interval}.
   */
  public static ConditionFactory every(Duration interval) {
    return Awaitility.await()
        .forever()
        .pollDelay(Duration.ZERO)
        .pollInterval(interval)
        .pollInSameThread();
  }
}
