package dev.ferry.api.publish;

import dev.ferry.config.FerryConfig;
import dev.ferry.cron.TickConfig;
import java.util.List;
import java.util.Map;

/**
 * Applies a schedule's stored {@code Upstash-Callback*}, {@code Upstash-Failure-Callback*} and
 * flow-control headers.
 */
public final class ScheduleConfigs {
  private ScheduleConfigs() {}

  /** The parser the cron verticle uses for each tick. */
  public static TickConfig parser(FerryConfig.Limits limits) {
    return (config, now) -> config.isEmpty() ? TickConfig.Parsed.NONE : parse(config, limits, now);
  }

  static TickConfig.Parsed parse(
      Map<String, List<String>> config, FerryConfig.Limits limits, long now) {
    return new TickConfig.Parsed(
        CallbackOptions.callback(config, limits, now),
        CallbackOptions.failureCallback(config, limits, now),
        FlowControlOptions.parse(config));
  }
}
