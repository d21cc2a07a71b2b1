package dev.ferry.config;

import static dev.ferry.config.ConfigSection.MAX_INT;

/**
 * Reads how much Ferry accepts and holds: the per-request and per-tenant {@code limits}, and the
 * memory and disk bounds of {@code overload}.
 */
final class LimitsReader {
  private LimitsReader() {}

  // Cross-key checks run only on a clean section: stand-ins for bad values would cause follow-up
  // noise.
  static FerryConfig.Limits limits(ConfigSection s) {
    int before = s.problemCount();
    // A message body is held in one Buffer, which is int-sized; a whole request (batch) need not
    // be.
    FerryConfig.Limits limits =
        new FerryConfig.Limits(
            s.longIn("maxMessageBytes", 1, MAX_INT),
            s.longIn("maxRequestBytes", 1, Long.MAX_VALUE),
            s.intIn("maxBatchEntries", 1, MAX_INT),
            s.intIn("defaultRetries", 0, MAX_INT),
            s.intIn("maxRetries", 0, MAX_INT),
            s.duration("maxDelay", true),
            s.intIn("maxQueues", 0, MAX_INT),
            s.intIn("maxQueueParallelism", 1, MAX_INT),
            s.intIn("maxUrlGroups", 0, MAX_INT),
            s.intIn("maxEndpointsPerGroup", 1, MAX_INT),
            s.duration("dedupWindow", true),
            s.intIn("maxSchedules", 0, MAX_INT));
    boolean clean = s.problemCount() == before;
    if (clean && limits.maxRequestBytes() < limits.maxMessageBytes()) {
      s.problem("maxRequestBytes", "must not be smaller than " + s.path.key("maxMessageBytes"));
    }
    if (clean && limits.defaultRetries() > limits.maxRetries()) {
      s.problem("defaultRetries", "must not be larger than " + s.path.key("maxRetries"));
    }
    return limits;
  }

  static FerryConfig.Overload overload(ConfigSection s) {
    return new FerryConfig.Overload(
        s.intIn("maxInFlightRequests", 1, MAX_INT),
        s.longIn("maxInFlightRequestBytes", 0, Long.MAX_VALUE),
        s.intIn("maxPendingWrites", 1, MAX_INT),
        s.longIn("minFreeDiskBytes", 0, Long.MAX_VALUE),
        s.intIn("maxDueInMemory", 1, MAX_INT),
        s.longIn("maxDeliveryBytes", 0, Long.MAX_VALUE),
        s.intIn("maxFlowControlWaiting", 1, MAX_INT),
        s.intIn("maxFlowControlKeys", 1, MAX_INT),
        s.duration("retryAfter", true));
  }
}
