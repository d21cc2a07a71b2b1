package dev.ferry.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.model.GoDuration.Dialect;
import dev.ferry.model.GoDuration.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shared Go duration parser. What each caller accepts around it (bare numbers, signs, ISO-8601,
 * messages) is tested with the caller: {@code api.DurationsTest}, {@code
 * config.ConfigDurationsTest}, {@code RetryPolicyTest}.
 */
class GoDurationTest {
  private static final long DAY = 86_400_000_000_000L;

  /** As the API reads headers. */
  private static final Dialect GO_AND_DAYS = new Dialect(true, true, true, false, 36_500 * DAY);

  /** As config is read. */
  private static final Dialect STRICT = new Dialect(true, false, false, true, Long.MAX_VALUE);

  /** As destinations' delay headers are read. */
  private static final Dialect NO_DAYS = new Dialect(false, true, true, true, DAY);

  private static long nanos(String s, Dialect d) {
    return GoDuration.parse(s, 0, d).nanos();
  }

  private static GoDuration.Invalid refusal(String s, Dialect d) {
    return assertThrows(GoDuration.Invalid.class, () -> GoDuration.parse(s, 0, d));
  }

  @ParameterizedTest(name = "{0} = {1} ns")
  @CsvSource({
    "0s, 0",
    "7ns, 7",
    "1500us, 1500000",
    "300ms, 300000000",
    "20s, 20000000000",
    "5m, 300000000000",
    "2h, 7200000000000",
    "1h30m, 5400000000000",
    "1.5h, 5400000000000",
    "1h1h, 7200000000000",
    "10s5m, 310000000000",
    "007s, 7000000000",
    "0.000000001s, 1",
    "1d10h30m, 124200000000000",
  })
  void parts_add_up_exactly_in_every_dialect(String input, long expected) {
    assertEquals(expected, nanos(input, GO_AND_DAYS));
    assertEquals(expected, nanos(input, STRICT));
    if (!input.contains("d")) assertEquals(expected, nanos(input, NO_DAYS));
  }

  @Test
  void micro_has_three_spellings_and_the_greek_one_is_a_choice() {
    assertEquals(3_000, nanos("3\u00b5s", STRICT));
    assertEquals(3_000, nanos("3us", STRICT));
    assertEquals(3_000, nanos("3\u03bcs", GO_AND_DAYS));
    assertEquals(Problem.UNKNOWN_UNIT, refusal("3\u03bcs", STRICT).problem());
  }

  @Test
  void days_are_a_choice() {
    assertEquals(DAY, nanos("1d", GO_AND_DAYS));
    GoDuration.Invalid e = refusal("1d", NO_DAYS);
    assertEquals(Problem.UNKNOWN_UNIT, e.problem());
    assertEquals("d", e.unit());
  }

  @Test
  void loose_fractions_are_a_choice() {
    assertEquals(500_000_000, nanos(".5s", GO_AND_DAYS));
    assertEquals(5_000_000_000L, nanos("5.s", GO_AND_DAYS));
    assertEquals(Problem.EXPECTED_NUMBER, refusal(".5s", STRICT).problem());
    assertEquals(Problem.EXPECTED_NUMBER, refusal("5.s", STRICT).problem());
    assertEquals(Problem.EXPECTED_NUMBER, refusal("1.h", STRICT).problem());
  }

  @Test
  void parts_round_down_to_the_nanosecond_and_say_so() {
    GoDuration d = GoDuration.parse("1.9ns", 0, GO_AND_DAYS);
    assertEquals(1, d.nanos());
    assertTrue(d.truncated());
    assertFalse(GoDuration.parse("1.5s", 0, GO_AND_DAYS).truncated());
    assertEquals(1_333_333_333, nanos("1.3333333333333333333333333s", GO_AND_DAYS));
    assertTrue(
        GoDuration.parse("1.0000000000000000001s", 0, GO_AND_DAYS).truncated(),
        "a 19th digit is dropped");
    assertFalse(
        GoDuration.parse("1.0000000000000000000s", 0, GO_AND_DAYS).truncated(),
        "dropped zeros lose nothing");
  }

  @Test
  void an_exact_dialect_counts_every_digit_and_rounds_only_the_sum() {
    assertEquals(0, nanos("0.5ns0.5ns", GO_AND_DAYS));
    assertEquals(1, nanos("0.5ns0.5ns", STRICT));
    assertFalse(GoDuration.parse("0.5ns0.5ns", 0, STRICT).truncated());
    assertEquals(79_999_999_999L, nanos("1.33333333333333333333339999m", GO_AND_DAYS));
    assertEquals(80_000_000_000L, nanos("1.33333333333333333333339999m", STRICT));
    assertTrue(GoDuration.parse("1.33333333333333333333339999m", 0, STRICT).truncated());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"36501d", "36500d1ns", "99999999999999999999999999s", "36499d48h", "876001h"})
  void beyond_the_cap_is_too_large(String input) {
    assertEquals(Problem.TOO_LARGE, refusal(input, GO_AND_DAYS).problem());
  }

  @Test
  void the_cap_itself_is_accepted_and_a_long_is_the_widest() {
    assertEquals(36_500 * DAY, nanos("36500d", GO_AND_DAYS));
    assertEquals(DAY, nanos("24h", NO_DAYS));
    assertEquals(Problem.TOO_LARGE, refusal("24h1ns", NO_DAYS).problem());
    assertEquals(Long.MAX_VALUE, nanos(Long.MAX_VALUE + "ns", STRICT));
    assertEquals(Problem.TOO_LARGE, refusal("9223372036854775808ns", STRICT).problem());
    assertEquals(Problem.TOO_LARGE, refusal("106752d", STRICT).problem());
    assertEquals(Problem.TOO_LARGE, refusal("106751d23h47m16.854775808s", STRICT).problem());
    assertEquals(Long.MAX_VALUE, nanos("106751d23h47m16.854775807s", STRICT));
  }

  @Test
  void problems_say_where() {
    assertEquals(1, refusal("s", GO_AND_DAYS).position());
    assertEquals(4, refusal("1h.m", GO_AND_DAYS).position());
    assertEquals(Problem.MISSING_UNIT, refusal("1h5", GO_AND_DAYS).problem());
    assertEquals(Problem.MISSING_UNIT, refusal("2.", GO_AND_DAYS).problem());
    GoDuration.Invalid unknown = refusal("5s+", GO_AND_DAYS);
    assertEquals(Problem.UNKNOWN_UNIT, unknown.problem());
    assertEquals("s+", unknown.unit());
    assertEquals(Problem.EXPECTED_NUMBER, refusal("", GO_AND_DAYS).problem());
  }

  @Test
  void parsing_starts_where_the_caller_says() {
    assertEquals(5_000_000_000L, GoDuration.parse("+5s", 1, GO_AND_DAYS).nanos());
  }
}
