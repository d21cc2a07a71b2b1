package dev.ferry.crash;

import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.Polls;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The delivery settings of the crash tests and the duplicate bound they imply. Duplicates after a
 * kill come only from attempts whose outcome was not recorded yet: those counted by {@code
 * ferry_delivery_in_flight}, which an attempt joins when it starts and leaves once its outcome is
 * in the store. For unqueued messages that count is capped by {@code delivery.maxInFlight} per
 * delivery event loop, so the tests assert against the configured cap ({@link #IN_FLIGHT_BOUND} per
 * kill) and print the gauge as read just before each kill, for information (it can move between the
 * read and the kill).
 */
final class CrashConfig {
  static final int DELIVERY_INSTANCES = 2;
  static final int MAX_IN_FLIGHT = 64;
  static final int IN_FLIGHT_BOUND = DELIVERY_INSTANCES * MAX_IN_FLIGHT;

  private CrashConfig() {}

  static JsonObject overrides() {
    return new JsonObject()
        .put(
            "delivery",
            new JsonObject().put("instances", DELIVERY_INSTANCES).put("maxInFlight", MAX_IN_FLIGHT))
        .put(
            "logs",
            new JsonObject()
                .put("enabled", false)); // the message log is not what these tests look at
  }

  /**
   * Waits until no attempt is in flight (after the last delivery, so late duplicates are counted
   * too).
   */
  static void awaitIdle(FerryProcess ferry, long timeoutMillis) throws Exception {
    Polls.within(Duration.ofMillis(timeoutMillis))
        .pollInterval(Duration.ofMillis(50))
        .alias("no attempt in flight")
        .until(() -> ferry.metric("ferry_delivery_in_flight") <= 0);
  }

  static void report(String test, String line) {
    System.out.println(java.time.LocalTime.now() + " CRASH " + test + ": " + line);
  }
}
