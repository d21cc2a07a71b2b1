package dev.ferry.cron;

import dev.ferry.model.CallbackConfig;
import dev.ferry.model.FlowControl;
import java.util.List;
import java.util.Map;

/**
 * Reads a schedule's stored callback and flow-control headers ({@code Schedule.pendingConfig},
 * lower-case names) into what each produced message carries. The parser lives with the API's header
 * parsing; {@code Ferry} wires it in.
 */
@FunctionalInterface
public interface TickConfig {
  /**
   * Parses {@code config}; throws IllegalArgumentException (or the API's refusal) when it is no
   * longer valid.
   */
  Parsed parse(Map<String, List<String>> config, long nowMillis);

  /** Callback, failure callback and flow control of a produced message; each may be null. */
  record Parsed(CallbackConfig callback, CallbackConfig failureCallback, FlowControl flowControl) {
    public static final Parsed NONE = new Parsed(null, null, null);
  }
}
