package dev.ferry.delivery.flow;

import dev.ferry.model.FlowControl;
import dev.ferry.model.FlowControlState;
import dev.ferry.model.Message;
import java.util.ArrayDeque;

/**
 * One flow-control key's state on the delivery partition that owns it: the FIFO waitlist of due
 * messages, the attempts in flight and the rate window. The window is fixed and aligned to the
 * first start after the previous one ended (QStash: "rate per period"), so at most {@code rateMax}
 * attempts start in any window. Pure bookkeeping, no I/O; {@link FlowControlLanes} drives it on its
 * event loop.
 */
final class FlowControlLane {
  final String tenant;
  final String key;
  final ArrayDeque<Message> waitlist = new ArrayDeque<>();
  int inFlight;
  int parallelismMax;
  int rateMax;
  long periodMillis = 1000;
  long periodStart;
  int rateCount;
  boolean paused;
  boolean pinnedParallelism;
  boolean pinnedRate;
  long timerId = -1;

  /** Last offer, start or end (wall clock millis): idle keys are forgotten oldest first. */
  long lastActive;

  FlowControlLane(String tenant, String key) {
    this.tenant = tenant;
    this.key = key;
  }

  /** A message brings its config: it becomes the key's, except for what is pinned. */
  void configure(FlowControl fc) {
    if (!pinnedParallelism) parallelismMax = fc.parallelism();
    if (!pinnedRate) {
      long period = fc.periodSeconds() * 1000;
      if (period != periodMillis) {
        periodStart = 0;
        rateCount = 0;
      }
      rateMax = fc.rate();
      periodMillis = period;
    }
  }

  boolean parallelismFull() {
    return parallelismMax > 0 && inFlight >= parallelismMax;
  }

  /** Milliseconds until the rate allows another start (0 = now). */
  long rateWait(long now) {
    if (rateMax <= 0 || now >= periodStart + periodMillis) return 0;
    return rateCount < rateMax ? 0 : periodStart + periodMillis - now;
  }

  void started(long now) {
    inFlight++;
    if (now >= periodStart + periodMillis) {
      periodStart = now;
      rateCount = 0;
    }
    rateCount++;
  }

  void ended() {
    inFlight--;
  }

  void resetRate(long now) {
    rateCount = 0;
    periodStart = now;
  }

  /**
   * Nothing waits, runs or is timed, and the rate window is over: forgetting the lane changes
   * nothing a later message could observe (it brings its config again). Operator settings are
   * checked by the caller.
   */
  boolean idle(long now) {
    return waitlist.isEmpty() && inFlight == 0 && timerId < 0 && now >= periodStart + periodMillis;
  }

  /**
   * When a message arriving now behind {@code ahead} others may expect to start: the rate's
   * estimate, else 0.
   */
  long estimatedWait(int ahead) {
    return rateMax > 0 ? (ahead + 1L) * periodMillis / rateMax : 0;
  }

  FlowControlState state(long now) {
    boolean inWindow = now < periodStart + periodMillis;
    return new FlowControlState(
        key,
        waitlist.size(),
        parallelismMax,
        inFlight,
        rateMax,
        inWindow ? rateCount : 0,
        periodMillis / 1000,
        inWindow ? periodStart / 1000 : 0,
        paused,
        pinnedParallelism,
        pinnedRate);
  }
}
