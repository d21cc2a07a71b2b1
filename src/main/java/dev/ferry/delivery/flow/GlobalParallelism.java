package dev.ferry.delivery.flow;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cap on flow-controlled attempts in flight across all keys and partitions ({@code GET
 * /v2/globalParallelism}); 0 = no cap. Thread-safe: lanes on every partition acquire and release; a
 * partition that was refused registers a wake-up (once) and hops back onto its own event loop when
 * capacity returns.
 */
public final class GlobalParallelism {
  private final int max;
  private final AtomicInteger count = new AtomicInteger();
  private final List<Runnable> wakers = new CopyOnWriteArrayList<>();
  private volatile boolean anyWaiting;

  public GlobalParallelism(int max) {
    this.max = Math.max(0, max);
  }

  public int max() {
    return max;
  }

  /** Flow-controlled attempts in flight now. */
  public int count() {
    return count.get();
  }

  boolean tryAcquire() {
    while (true) {
      int c = count.get();
      if (max > 0 && c >= max) {
        anyWaiting = true;
        if (count.get() < max)
          continue; // released meanwhile, perhaps before it could see anyWaiting
        return false;
      }
      if (count.compareAndSet(c, c + 1)) return true;
    }
  }

  void release() {
    count.decrementAndGet();
    if (anyWaiting) {
      anyWaiting = false;
      wakers.forEach(Runnable::run);
    }
  }

  /** {@code waker} is run (on the releasing thread) when capacity returns after a refusal. */
  void onCapacity(Runnable waker) {
    wakers.add(waker);
  }
}
