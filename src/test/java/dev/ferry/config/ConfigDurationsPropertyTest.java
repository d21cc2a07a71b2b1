package dev.ferry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.LongRange;

/**
 * Properties of config durations: ISO-8601 and Go-style forms of the same duration read the same,
 * sums of parts are exact, and anything else stops startup with an {@link IllegalArgumentException}
 * (which the reader turns into a message naming the key), never another exception.
 */
class ConfigDurationsPropertyTest {

  @Property(tries = 1000)
  void iso_8601_round_trips(
      @ForAll @LongRange(min = -100_000_000_000L, max = 100_000_000_000L) long seconds,
      @ForAll @LongRange(min = 0, max = 999_999_999) long nanos) {
    Duration d = Duration.ofSeconds(seconds, nanos);
    assertEquals(d, ConfigDurations.parse(d.toString()));
  }

  @Property(tries = 1000)
  void go_style_parts_add_up_exactly(
      @ForAll @LongRange(min = 0, max = 100_000) long days,
      @ForAll @LongRange(min = 0, max = 1_000) long hours,
      @ForAll @LongRange(min = 0, max = 1_000) long minutes,
      @ForAll @LongRange(min = 0, max = 1_000_000) long millis) {
    Duration expected =
        Duration.ofDays(days).plusHours(hours).plusMinutes(minutes).plusMillis(millis);
    assertEquals(
        expected, ConfigDurations.parse(days + "d" + hours + "h" + minutes + "m" + millis + "ms"));
    assertEquals(expected, ConfigDurations.parse(expected.toString()));
  }

  @Property(tries = 300)
  void too_long_for_a_duration_is_refused(
      @ForAll @LongRange(min = 1, max = 1_000_000) long extraDays) {
    BigInteger days =
        BigInteger.valueOf(Long.MAX_VALUE)
            .divide(BigInteger.valueOf(86_400_000_000_000L))
            .add(BigInteger.valueOf(extraDays));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> ConfigDurations.parse(days + "d"))
            .getMessage()
            .contains("too long"));
  }

  @Property(tries = 3000)
  void any_text_is_a_canonical_duration_or_an_illegal_argument(@ForAll("durationish") String text) {
    Duration d;
    try {
      d = ConfigDurations.parse(text);
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
      return;
    }
    assertEquals(
        d,
        ConfigDurations.parse(d.toString()),
        "what is accepted has one canonical form that reads back");
  }

  @Provide
  Arbitrary<String> durationish() {
    Arbitrary<String> tokens =
        Arbitraries.of(
            "P",
            "-P",
            "T",
            "1",
            "0",
            "10",
            "1.5",
            ".",
            "-",
            "+",
            "d",
            "h",
            "m",
            "s",
            "ms",
            "us",
            "µs",
            "ns",
            "D",
            "H",
            "M",
            "S",
            "PT",
            "99999999999999999999",
            "1e3",
            " ",
            "\u0000",
            "٥");
    return Arbitraries.frequencyOf(
        Tuple.of(8, tokens.list().ofMaxSize(10).map(l -> String.join("", l))),
        Tuple.of(2, Arbitraries.strings().ofMaxLength(30)));
  }
}
