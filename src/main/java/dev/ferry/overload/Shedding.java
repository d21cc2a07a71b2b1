package dev.ferry.overload;

import dev.ferry.config.FerryConfig;

/**
 * What the API needs to shed load: its admission gate, where to count shed requests, and the {@code
 * Retry-After} (whole seconds) to send with them. Built once in {@code Ferry} and shared by every
 * API event loop.
 */
public record Shedding(Admission admission, ShedCounter counter, long retryAfterSeconds) {
  public static Shedding of(FerryConfig.Overload config, ShedCounter counter) {
    return new Shedding(
        new Admission(config.maxInFlightRequests(), config.requestBytesBudget()),
        counter,
        config.retryAfterSeconds());
  }
}
