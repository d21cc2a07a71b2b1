package dev.ferry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  private static String rejection(String value) {
    return assertThrows(IllegalArgumentException.class, () -> Durations.parse(value)).getMessage();
  }

  @ParameterizedTest(name = "{0} = {1} ns")
  @CsvSource({
    "0, 0",
    "1, 1000000000",
    "60, 60000000000",
    "0s, 0",
    "20s, 20000000000",
    "5m, 300000000000",
    "2h, 7200000000000",
    "1d, 86400000000000",
    "1h30m, 5400000000000",
    "1d10h30m, 124200000000000",
    "1d1h30m, 91800000000000",
    "1.5h, 5400000000000",
    ".5s, 500000000",
    "5.s, 5000000000",
    "300ms, 300000000",
    "1500us, 1500000",
    "7ns, 7",
    "1h1h, 7200000000000",
    "10s5m, 310000000000",
    "+5s, 5000000000",
    "+5, 5000000000",
    "0.000000001s, 1",
    "1.0000000001s, 1000000000",
    "007s, 7000000000",
    "0000000000000000000000000000000000000001s, 1000000000",
  })
  void parses_go_durations_bare_seconds_and_days(String input, long nanos) {
    assertEquals(Duration.ofNanos(nanos), Durations.parse(input));
  }

  @Test
  void accepts_both_micro_sign_spellings() {
    assertEquals(Duration.ofNanos(3_000), Durations.parse("3\u00b5s"));
    assertEquals(Duration.ofNanos(3_000), Durations.parse("3\u03bcs"));
  }

  @Test
  void trims_surrounding_spaces_and_tabs() {
    assertEquals(Duration.ofSeconds(10), Durations.parse("  10s\t"));
    assertEquals(Duration.ofSeconds(10), Durations.parse(" 10 "));
  }

  @Test
  void truncates_fraction_below_one_nanosecond() {
    assertEquals(Duration.ofNanos(1), Durations.parse("1.9ns"));
    assertEquals(Duration.ofNanos(1_333_333_333), Durations.parse("1.3333333333333333333333333s"));
  }

  @Test
  void accepts_exactly_the_maximum() {
    assertEquals(Durations.MAX, Durations.parse("36500d"));
    assertEquals(Durations.MAX, Durations.parse(String.valueOf(Durations.MAX.getSeconds())));
    assertEquals(Durations.MAX, Durations.parse("36499d24h"));
  }

  @Test
  void rejects_null_and_empty() {
    assertEquals("invalid duration: value is empty", rejection(null));
    assertEquals("invalid duration: value is empty", rejection(""));
    assertEquals("invalid duration: value is empty", rejection("   "));
  }

  @Test
  void rejects_negative() {
    assertEquals("invalid duration \"-1s\": negative durations are not allowed", rejection("-1s"));
    assertEquals("invalid duration \"-5\": negative durations are not allowed", rejection("-5"));
    assertEquals("invalid duration \"-0s\": negative durations are not allowed", rejection("-0s"));
  }

  @Test
  void rejects_spaces_inside() {
    assertEquals("invalid duration \"20 s\": must not contain spaces", rejection("20 s"));
    assertEquals("invalid duration \"1h 30m\": must not contain spaces", rejection("1h 30m"));
    assertEquals(
        "invalid duration \"1h\u00a030m\": must not contain spaces", rejection("1h\u00a030m"));
    assertEquals("invalid duration \"1h\n30m\": must not contain spaces", rejection("1h\n30m"));
  }

  @Test
  void rejects_control_characters_without_echoing_them() {
    assertEquals("invalid duration: contains a control character", rejection("5s\u0000"));
    assertEquals("invalid duration: contains a control character", rejection("5\u0007s"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"5x", "5S", "1H", "5sec", "5mins", "1w", "1y", "5m5x"})
  void rejects_unknown_units(String input) {
    assertTrue(
        rejection(input).startsWith("invalid duration \"" + input + "\": unknown unit \""), input);
  }

  @Test
  void names_the_unknown_unit() {
    assertEquals(
        "invalid duration \"5x\": unknown unit \"x\" (use ns, us, ms, s, m, h or d)",
        rejection("5x"));
    assertEquals(
        "invalid duration \"5sec\": unknown unit \"sec\" (use ns, us, ms, s, m, h or d)",
        rejection("5sec"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1h5", "1.5", "2.", "1m30"})
  void rejects_number_without_unit(String input) {
    assertEquals(
        "invalid duration \"" + input + "\": missing unit (use ns, us, ms, s, m, h or d)",
        rejection(input));
  }

  @ParameterizedTest
  @ValueSource(strings = {"s", "h", ".s", "+", "1h.m", "1h.", "abc"})
  void rejects_missing_number(String input) {
    assertTrue(rejection(input).contains("\": "), input);
  }

  @Test
  void reports_position_of_missing_number() {
    assertEquals("invalid duration \"s\": expected a number at position 1", rejection("s"));
    assertEquals("invalid duration \"1h.m\": expected a number at position 4", rejection("1h.m"));
    assertEquals("invalid duration \"+\": missing number", rejection("+"));
  }

  @Test
  void rejects_unicode_digits() {
    // Arabic-Indic five, fullwidth five, Devanagari five
    assertEquals(
        "invalid duration \"\u0665s\": only ASCII digits 0-9 are allowed", rejection("\u0665s"));
    assertEquals(
        "invalid duration \"\uff15\": only ASCII digits 0-9 are allowed", rejection("\uff15"));
    assertEquals(
        "invalid duration \"1\u096bs\": only ASCII digits 0-9 are allowed", rejection("1\u096bs"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "36501d",
        "36500d1ns",
        "99999999999d",
        "9223372036854775807ns",
        "99999999999999999999999999s",
        "3153600001",
        "9999999999999999999999",
        "876001h",
        "36499d48h",
        "1000000000000000000000000000000ns"
      })
  void rejects_values_above_the_cap(String input) {
    assertEquals(
        "invalid duration \"" + input + "\": duration is too large (max 36500d)", rejection(input));
  }

  @Test
  void sums_that_would_overflow_a_long_are_rejected_not_wrapped() {
    String many = "36000d".repeat(10);
    assertEquals(
        "invalid duration \"" + many + "\": duration is too large (max 36500d)", rejection(many));
  }

  @Test
  void rejects_overlong_input_without_echoing_it() {
    String longValue = "1".repeat(Durations.MAX_LENGTH + 1);
    assertEquals("invalid duration: value is longer than 64 characters", rejection(longValue));
    assertEquals(
        "invalid duration: value is longer than 64 characters", rejection("1s".repeat(5_000)));
  }

  @Test
  void hostile_input_returns_quickly() {
    String hostile = "9".repeat(1_000_000) + "s";
    assertTimeoutPreemptively(
        Duration.ofSeconds(1),
        () -> {
          for (int i = 0; i < 1_000; i++) {
            assertThrows(IllegalArgumentException.class, () -> Durations.parse(hostile));
            assertThrows(
                IllegalArgumentException.class, () -> Durations.parse("." + "0".repeat(60) + "x"));
          }
        });
  }

  @Test
  void rejects_go_sign_forms_other_than_one_leading_plus() {
    assertTrue(rejection("++5s").contains("expected a number"));
    assertTrue(rejection("5s+").contains("unknown unit \"s+\""));
    assertTrue(rejection("5s-1m").contains("unknown unit \"s-\""));
  }
}
