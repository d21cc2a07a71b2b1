package dev.ferry.model;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided fuzz targets (Jazzer; docs/architecture.md#hostile-input-and-parsers) for
 * retry-delay expressions and cron specs; corpus in {@code ModelParsersFuzzTestInputs/<target>/}.
 * See {@code ApiParsersFuzzTest} for how they run.
 */
@Tag("fuzz")
class ModelParsersFuzzTest {
  private static final int[] RETRIED = {0, 1, 5, 100, Integer.MAX_VALUE};
  private static final long Y2026 = 1_767_225_600_000L;

  @FuzzTest(maxDuration = "5m")
  void retryDelayExpressions(byte[] input) {
    String s = new String(input, StandardCharsets.UTF_8);
    RetryDelayExpression parsed;
    try {
      parsed = RetryDelayExpression.parse(s);
    } catch (IllegalArgumentException e) {
      check(
          e.getMessage().startsWith("invalid retry delay expression: "),
          "refusal without the prefix: " + e.getMessage());
      return;
    }
    check(s.length() <= RetryDelayExpression.MAX_LENGTH, "an over-long expression was accepted");
    for (int r : RETRIED) {
      long delay = parsed.delayMillis(r);
      check(
          delay >= 0 && delay <= RetryDelayExpression.MAX_DELAY_MILLIS,
          s + " gives " + delay + " at " + r);
    }
  }

  @FuzzTest(maxDuration = "5m")
  void cronSpecs(byte[] input) {
    String s = new String(input, StandardCharsets.UTF_8);
    CronSpec spec;
    try {
      spec = CronSpec.parse(s);
    } catch (IllegalArgumentException e) {
      check(
          e.getMessage() != null && e.getMessage().startsWith("Invalid cron expression"),
          "refusal without the prefix: " + e.getMessage());
      return;
    }
    OptionalLong next = spec.nextAfter(Y2026);
    check(next.isEmpty() || next.getAsLong() > Y2026, "next tick not after the time: " + s);
    OptionalLong latest = spec.latestAtOrBefore(Y2026);
    check(latest.isEmpty() || latest.getAsLong() <= Y2026, "latest tick after the time: " + s);
  }

  static void check(boolean condition, String finding) {
    if (!condition) throw new AssertionError(finding);
  }
}
