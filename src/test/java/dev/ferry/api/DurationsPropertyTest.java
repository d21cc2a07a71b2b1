package dev.ferry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.LongRange;

/**
 * Properties of the header duration parser (docs/compatibility.md#durations): a duration written
 * out in Go syntax, in any split into units, parses back to itself exactly; bare integers are
 * seconds; the cap is exact; anything else is refused with a message that names the problem and
 * never a different exception.
 */
class DurationsPropertyTest {
  private static final long MAX_NANOS = Durations.MAX.toNanos();
  private static final String[] UNITS = {"d", "h", "m", "s", "ms", "us", "µs", "μs", "ns"};
  private static final long[] UNIT_NANOS = {
    86_400_000_000_000L,
    3_600_000_000_000L,
    60_000_000_000L,
    1_000_000_000L,
    1_000_000L,
    1_000L,
    1_000L,
    1_000L,
    1L
  };

  /**
   * One {@code <number><unit>} part and its exact value in nanoseconds (possibly beyond a long).
   */
  record Part(String text, BigInteger nanos) {}

  @Property(tries = 1000)
  void any_sum_of_parts_parses_to_its_exact_value_or_is_too_large(
      @ForAll("parts") List<Part> parts) {
    String text = parts.stream().map(Part::text).reduce("", String::concat);
    BigInteger expected = parts.stream().map(Part::nanos).reduce(BigInteger.ZERO, BigInteger::add);
    if (text.length() > Durations.MAX_LENGTH) {
      assertRefused(text, "longer than");
    } else if (expected.compareTo(BigInteger.valueOf(MAX_NANOS)) > 0) {
      assertRefused(text, "too large");
    } else {
      assertEquals(Duration.ofNanos(expected.longValueExact()), Durations.parse(text), text);
      if (text.length() == Durations.MAX_LENGTH)
        return; // the variants below are one character longer
      assertEquals(Durations.parse(text), Durations.parse("+" + text));
      assertEquals(Durations.parse(text), Durations.parse(" \t" + text + "\t "));
      assertRefused("-" + text, "negative");
      assertRefused(text.substring(0, 1) + " " + text.substring(1), "spaces");
    }
  }

  @Property(tries = 1000)
  void a_duration_printed_in_go_form_parses_back(
      @ForAll @LongRange(min = 0, max = 3_153_600_000_000_000_000L) long nanos) {
    Duration d = Duration.ofNanos(nanos);
    String go =
        d.toHours()
            + "h"
            + d.toMinutesPart()
            + "m"
            + d.toSecondsPart()
            + "."
            + String.format("%09d", d.toNanosPart())
            + "s";
    assertEquals(d, Durations.parse(go), go);
  }

  @Property(tries = 500)
  void a_bare_integer_is_seconds(@ForAll @LongRange(min = 0, max = 10_000_000_000L) long seconds) {
    if (seconds <= Durations.MAX.getSeconds()) {
      assertEquals(Duration.ofSeconds(seconds), Durations.parse(Long.toString(seconds)));
      assertEquals(Duration.ofSeconds(seconds), Durations.parse("000" + seconds));
    } else {
      assertRefused(Long.toString(seconds), "too large");
    }
  }

  @Property(tries = 3000)
  void any_input_is_a_duration_within_the_cap_or_a_named_refusal(
      @ForAll("durationish") String input) {
    Duration d;
    try {
      d = Durations.parse(input);
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage().startsWith("invalid duration"), e.getMessage());
      assertTrue(e.getMessage().length() <= Durations.MAX_LENGTH + 100, "unbounded message");
      return;
    }
    assertTrue(!d.isNegative() && d.compareTo(Durations.MAX) <= 0, input + " → " + d);
    assertTrue(input.strip().length() <= Durations.MAX_LENGTH);
    assertTrue(
        input.chars().noneMatch(c -> c > 0x7f && Character.isDigit(c)),
        "a non-ASCII digit was accepted");
  }

  private static void assertRefused(String text, String fragment) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(text), text);
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  @Provide
  Arbitrary<List<Part>> parts() {
    Arbitrary<Integer> unit = Arbitraries.integers().between(0, UNITS.length - 1);
    Arbitrary<Long> whole =
        Arbitraries.oneOf(
            Arbitraries.longs().between(0, 1000),
            Arbitraries.longs().between(0, Long.MAX_VALUE / 10));
    Arbitrary<String> fraction =
        Arbitraries.oneOf(
            Arbitraries.just(""), Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(12));
    Arbitrary<Part> part =
        Combinators.combine(whole, fraction, unit, Arbitraries.of(true, false))
            .as(
                (w, f, u, leadingDot) -> {
                  boolean dropWhole = leadingDot && !f.isEmpty() && w == 0; // ".5s" is legal Go
                  String number =
                      (dropWhole ? "" : Long.toString(w)) + (f.isEmpty() ? "" : "." + f);
                  BigInteger unitNanos = BigInteger.valueOf(UNIT_NANOS[u]);
                  BigInteger nanos = BigInteger.valueOf(w).multiply(unitNanos);
                  if (!f.isEmpty())
                    nanos =
                        nanos.add(
                            new BigInteger(f)
                                .multiply(unitNanos)
                                .divide(BigInteger.TEN.pow(f.length())));
                  return new Part(number + UNITS[u], nanos);
                });
    return part.list().ofMinSize(1).ofMaxSize(4);
  }

  @Provide
  Arbitrary<String> durationish() {
    Arbitrary<String> tokens =
        Arbitraries.of(
            "1",
            "0",
            "12",
            "99999999999",
            "9223372036854775807",
            ".",
            "5",
            "+",
            "-",
            "d",
            "h",
            "m",
            "s",
            "ms",
            "us",
            "µs",
            "μs",
            "ns",
            "x",
            "S",
            "H",
            "D",
            " ",
            "\t",
            "\u0000",
            "٥",
            "５",
            "e3",
            "1.5",
            ".000000000000000000001",
            "\u00a0",
            "∞");
    return Arbitraries.frequencyOf(
        Tuple.of(8, tokens.list().ofMaxSize(12).map(l -> String.join("", l))),
        Tuple.of(2, Arbitraries.strings().ofMaxLength(80)));
  }
}
