package dev.ferry.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided fuzz target (Jazzer; docs/architecture.md#hostile-input-and-parsers) for config
 * durations; corpus in {@code ConfigDurationsFuzzTestInputs/configDurations/}. See {@code
 * dev.ferry.api.ApiParsersFuzzTest} for how it runs.
 */
@Tag("fuzz")
class ConfigDurationsFuzzTest {

  @FuzzTest(maxDuration = "5m")
  void configDurations(byte[] input) {
    String s = new String(input, StandardCharsets.UTF_8);
    Duration d;
    try {
      d = ConfigDurations.parse(s);
    } catch (IllegalArgumentException e) {
      if (e.getMessage() == null || e.getMessage().isEmpty())
        throw new AssertionError("refusal without a message");
      return;
    }
    if (!d.equals(ConfigDurations.parse(d.toString())))
      throw new AssertionError("does not read back: " + s);
  }
}
