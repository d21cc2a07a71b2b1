package dev.ferry.api.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.Durations;
import dev.ferry.config.FerryConfig;
import dev.ferry.error.ApiException;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Properties of the scheduling headers of a publish
 * (docs/architecture.md#hostile-input-and-parsers): {@code Upstash-Retries}, {@code Upstash-Delay}
 * and {@code Upstash-Not-Before} give exactly the documented values inside their bounds, a 400
 * naming the header outside them, and nothing else whatever the bytes.
 */
class ConfigHeadersPropertyTest {
  private static final FerryConfig.Limits LIMITS = FerryConfig.defaults().limits();
  private static final long NOW = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

  private static PublishOptions parse(String header, String value) {
    return PublishOptions.parse(Map.of(header, List.of(value)), false, LIMITS, NOW);
  }

  private static void assertRefused(String header, String value, String displayName) {
    ApiException e = assertThrows(ApiException.class, () -> parse(header, value), value);
    assertEquals(400, e.status());
    assertTrue(e.getMessage().startsWith(displayName + ":"), e.getMessage());
  }

  @Property(tries = 500)
  void retries_in_range_are_taken_and_others_refused(
      @ForAll @IntRange(min = -1000, max = 1000) int retries) {
    String value = Integer.toString(retries);
    if (retries >= 0 && retries <= LIMITS.maxRetries()) {
      assertEquals(retries, parse(UpstashHeaders.RETRIES, value).maxRetries());
      assertEquals(retries, parse(UpstashHeaders.RETRIES, " " + value + "\t").maxRetries());
    } else {
      assertRefused(UpstashHeaders.RETRIES, value, "Upstash-Retries");
    }
  }

  @Property(tries = 500)
  void not_before_is_the_given_second_unless_negative_in_milliseconds_or_beyond_the_maximum_delay(
      @ForAll @LongRange(min = -10, max = 200_000_000_000L) long seconds) {
    String value = Long.toString(seconds);
    long at = seconds * 1000;
    if (seconds < 0 || seconds > 99_999_999_999L || at - NOW > LIMITS.maxDelay().toMillis()) {
      assertRefused(
          UpstashHeaders.NOT_BEFORE,
          value,
          seconds > 99_999_999_999L || seconds < 0 ? "Upstash-Not-Before" : "Upstash-Delay");
    } else {
      assertEquals(at, parse(UpstashHeaders.NOT_BEFORE, value).notBefore());
    }
  }

  @Property(tries = 500)
  void a_delay_is_added_to_now_up_to_the_maximum(
      @ForAll @LongRange(min = 0, max = 100_000_000L) long seconds) {
    long delayMillis = seconds * 1000;
    if (delayMillis > LIMITS.maxDelay().toMillis()) {
      assertRefused(UpstashHeaders.DELAY, seconds + "s", "Upstash-Delay");
    } else {
      assertEquals(NOW + delayMillis, parse(UpstashHeaders.DELAY, seconds + "s").notBefore());
      assertEquals(
          NOW + delayMillis, parse(UpstashHeaders.DELAY, Long.toString(seconds)).notBefore());
    }
  }

  @Property(tries = 2000)
  void any_value_of_these_headers_is_accepted_within_bounds_or_a_400_naming_it(
      @ForAll("headers") String header, @ForAll("values") String value) {
    PublishOptions options;
    try {
      options = parse(header, value);
    } catch (ApiException e) {
      assertEquals(400, e.status());
      assertTrue(e.getMessage().startsWith("Upstash-"), e.getMessage());
      return;
    }
    assertTrue(options.maxRetries() >= 0 && options.maxRetries() <= LIMITS.maxRetries());
    assertTrue(
        options.notBefore() == 0 || options.notBefore() - NOW <= LIMITS.maxDelay().toMillis());
    assertTrue(options.notBefore() >= 0);
    assertTrue(options.timeoutMillis() >= 0 && options.timeoutMillis() <= Durations.MAX.toMillis());
  }

  @Provide
  Arbitrary<String> headers() {
    return Arbitraries.of(
        UpstashHeaders.RETRIES,
        UpstashHeaders.DELAY,
        UpstashHeaders.NOT_BEFORE,
        UpstashHeaders.TIMEOUT,
        UpstashHeaders.RETRY_DELAY,
        UpstashHeaders.METHOD);
  }

  @Provide
  Arbitrary<String> values() {
    Arbitrary<String> tokens =
        Arbitraries.of(
            "5x",
            "-1s",
            "99999999999d",
            "٥",
            "",
            " ",
            "1",
            "0",
            "-1",
            "1e3",
            "10s",
            "1735689600",
            "1735689600000",
            "9223372036854775807",
            "9223372036854775808",
            "+5",
            "0x10",
            "2147483648",
            "\u0000",
            "POST",
            "get",
            "retried",
            "pow(2,",
            ")",
            "h",
            "ms");
    return Arbitraries.frequencyOf(
        Tuple.of(6, tokens.list().ofMaxSize(4).map(l -> String.join("", l))),
        Tuple.of(2, Arbitraries.strings().ofMaxLength(30)),
        Tuple.of(2, Arbitraries.longs().map(n -> Long.toString(n))));
  }
}
