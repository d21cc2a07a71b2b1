package dev.ferry.overload;

import dev.ferry.config.FerryConfig;

/**
 * What the API needs to shed load: its admission gate, where to count shed requests, and the {@code Retry-After}
 * (whole seconds) to send with them. Built once in {@code Ferry} and shared by every API event loop.
 */
public record Shedding(Admission admission, ShedCounter counter, long retryAfterSeconds) {
  /** No caps, nothing counted, {@code Retry-After: 1} (APIs built without Ferry: tests, tools). */
  public static Shedding none() {
    return new Shedding(Admission.unlimited(), ShedCounter.NONE, 1);
  }

  public static Shedding of(FerryConfig.Overload config, ShedCounter counter) {
    return new Shedding(new Admission(config.maxInFlightRequests(), config.requestBytesBudget()), counter,
        config.retryAfterSeconds());
  }
}
