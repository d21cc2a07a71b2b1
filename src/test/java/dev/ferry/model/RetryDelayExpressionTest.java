package dev.ferry.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryDelayExpressionTest {
  private static final long DAY = 86_400_000L;

  private static long delay(String expr, int retried) {
    return RetryDelayExpression.parse(expr).delayMillis(retried);
  }

  private static String rejection(String expr) {
    return assertThrows(IllegalArgumentException.class, () -> RetryDelayExpression.parse(expr))
        .getMessage();
  }

  @Test
  void evaluates_the_documented_examples() {
    assertEquals(1000, delay("1000", 0));
    assertEquals(1000, delay("1000", 7));
    assertEquals(1000, delay("1000 * (1 + retried)", 0));
    assertEquals(3000, delay("1000 * (1 + retried)", 2));
    assertEquals(1000, delay("pow(2, retried) * 1000", 0));
    assertEquals(8000, delay("pow(2, retried) * 1000", 3));
    assertEquals(1000, delay("max(1000, pow(2, retried) * 100)", 0));
    assertEquals(3200, delay("max(1000, pow(2, retried) * 100)", 5));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(
      delimiter = ';',
      value = {
        "1 + 2 * 3; 7",
        "(1 + 2) * 3; 9",
        "10 - 4 - 3; 3",
        "100 / 10 / 2; 5",
        "7 % 4; 3",
        "-7 % 4 + 10; 7",
        "2 * -3 + 10; 4",
        "--5; 5",
        "-(-5); 5",
        "+5; 5",
        "-5 + 10; 5",
        "2 * (3 + (4 - 1)) * 10; 120",
        "1.5 * 1000; 1500",
        ".5 * 1000; 500",
        "1.; 1",
        "1e3; 1000",
        "2.5E2; 250",
        "1e+3; 1000",
        "1E-1 * 10000; 1000",
        "exp(0) * 1000; 1000",
        "sqrt(16) * 100; 400",
        "abs(-7); 7",
        "floor(2.7); 2",
        "ceil(2.1); 3",
        "round(2.5) * 10; 30",
        "round(2.4999) * 10; 20",
        "10 - round(-2.5); 13",
        "round(0.49999999999999994) + 1; 1",
        "min(3, 1, 2); 1",
        "max(1, 5, 3); 5",
        "min(max(1, 2), 3, 4) * 10; 20",
        "  pow( 2 ,\tretried + 3 )  *  1000 ; 8000",
        "1.9; 1",
        "999.999; 999",
      })
  void evaluates_with_precedence_associativity_and_functions(String expr, long expected) {
    assertEquals(expected, delay(expr, 0));
  }

  @Test
  void clamps_negative_and_zero_results_to_zero() {
    assertEquals(0, delay("-1000", 0));
    assertEquals(0, delay("0", 0));
    assertEquals(0, delay("1000 - retried * 1000", 5));
    assertEquals(0, delay("-pow(10, 1e6)", 0));
    assertEquals(0, delay("round(-2.5)", 0));
  }

  @Test
  void clamps_huge_and_infinite_results_to_one_day() {
    assertEquals(DAY, delay("pow(10, 1e6)", 0));
    assertEquals(DAY, delay("1e400", 0));
    assertEquals(DAY, delay("86400001", 0));
    assertEquals(DAY, delay("86400000", 0));
    assertEquals(86_399_999, delay("86399999.9", 0));
    assertEquals(DAY, delay("pow(2, retried) * 1000", 100));
    assertEquals(DAY, delay("pow(2, retried) * 1000", Integer.MAX_VALUE));
    assertEquals(DAY, delay("exp(retried)", 1000));
  }

  @Test
  void division_by_zero_is_clamped_not_thrown() {
    RetryDelayExpression e = RetryDelayExpression.parse("1000 / retried");
    assertEquals(DAY, e.delayMillis(0));
    assertEquals(500, e.delayMillis(2));
    assertEquals(DAY, delay("1 / 0", 0));
    assertEquals(0, delay("-1 / 0", 0));
  }

  @Test
  void nan_after_the_first_retry_is_clamped_to_zero() {
    RetryDelayExpression e = RetryDelayExpression.parse("sqrt(1 - retried) * 1000");
    assertEquals(1000, e.delayMillis(0));
    assertEquals(0, e.delayMillis(2));
    assertEquals(0, RetryDelayExpression.parse("1000 % (1 - retried)").delayMillis(1));
  }

  @Test
  void nan_for_the_first_retry_is_rejected_at_parse() {
    String message = "invalid retry delay expression: result is not a number for retried = 0";
    assertEquals(message, rejection("sqrt(-1)"));
    assertEquals(message, rejection("0 / 0"));
    assertEquals(message, rejection("0 / retried"));
    assertEquals(message, rejection("5 % 0"));
    assertEquals(message, rejection("pow(10, 1e6) - pow(10, 1e6)"));
  }

  @Test
  void keeps_the_source_text() {
    RetryDelayExpression e = RetryDelayExpression.parse(" 1000 * retried ");
    assertEquals(" 1000 * retried ", e.source());
    assertEquals(" 1000 * retried ", e.toString());
  }

  @Test
  void rejects_empty_input() {
    assertEquals("invalid retry delay expression: expression is empty", rejection(null));
    assertEquals("invalid retry delay expression: expression is empty", rejection(""));
    assertEquals("invalid retry delay expression: expression is empty", rejection(" \t "));
  }

  @Test
  void rejects_input_over_the_length_limit() {
    assertEquals(
        "invalid retry delay expression: longer than 1024 characters", rejection("1".repeat(1025)));
    assertEquals(
        "invalid retry delay expression: longer than 1024 characters",
        rejection("1+".repeat(5_000) + "1"));
  }

  @Test
  void accepts_a_long_flat_chain_up_to_the_length_limit() {
    String chain = "1+".repeat(511) + "1";
    assertEquals(1023, chain.length());
    assertEquals(512, delay(chain, 0));
  }

  @Test
  void limits_nesting_depth() {
    String ok = "(".repeat(63) + "1" + ")".repeat(63);
    assertEquals(1, delay(ok, 0));
    String message = "invalid retry delay expression: nested deeper than 64 levels";
    assertEquals(message, rejection("(".repeat(64) + "1" + ")".repeat(64)));
    assertEquals(message, rejection("(".repeat(500) + "1" + ")".repeat(500)));
    assertEquals(message, rejection("-".repeat(1000) + "1"));
    assertEquals(message, rejection("abs(".repeat(200) + "1" + ")".repeat(200)));
    assertEquals(message, rejection("(".repeat(1024)));
  }

  @Test
  void hostile_inputs_are_fast() {
    // A bound that only a blow-up misses (a linear parser needs well under a second even on a
    // loaded CI machine).
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> {
          for (int i = 0; i < 2_000; i++) {
            assertThrows(
                IllegalArgumentException.class, () -> RetryDelayExpression.parse("(".repeat(1024)));
            RetryDelayExpression.parse("max(" + "retried,".repeat(120) + "1)").delayMillis(i);
          }
        });
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        "2 ^ 3; invalid retry delay expression: unexpected '^' at position 3 (use pow(x, y))",
        "foo(1); invalid retry delay expression: unknown function 'foo' at position 1"
            + " (allowed: pow, exp, sqrt, abs, floor, ceil, round, min, max)",
        "POW(2, 3); invalid retry delay expression: unknown function 'POW' at position 1"
            + " (allowed: pow, exp, sqrt, abs, floor, ceil, round, min, max)",
        "retried(); invalid retry delay expression: unknown function 'retried' at position 1"
            + " (allowed: pow, exp, sqrt, abs, floor, ceil, round, min, max)",
        "x * 2; invalid retry delay expression: unknown variable 'x' at position 1 (only 'retried' is allowed)",
        "1000 * Retried; invalid retry delay expression: unknown variable 'Retried' at position 8"
            + " (only 'retried' is allowed)",
        "pow(2); invalid retry delay expression: pow expects 2 arguments, got 1",
        "pow(1, 2, 3); invalid retry delay expression: pow expects 2 arguments, got 3",
        "sqrt(1, 2); invalid retry delay expression: sqrt expects 1 argument, got 2",
        "abs(); invalid retry delay expression: abs expects 1 argument, got 0",
        "min(1); invalid retry delay expression: min expects at least 2 arguments, got 1",
        "max(); invalid retry delay expression: max expects at least 2 arguments, got 0",
        "pow + 1; invalid retry delay expression: function 'pow' needs arguments in parentheses",
        "(1 + 2; invalid retry delay expression: missing ')' at end of expression",
        "pow(2 3); invalid retry delay expression: expected ')' at position 7 but found '3'",
        "1 +; invalid retry delay expression: unexpected end of expression",
        "1 2; invalid retry delay expression: unexpected '2' at position 3",
        "); invalid retry delay expression: unexpected ')' at position 1",
        "1.2.3; invalid retry delay expression: unexpected '.' at position 4",
        "1000ms; invalid retry delay expression: unexpected 'm' at position 5",
        "1e; invalid retry delay expression: invalid number '1e' at position 1",
        "2 * 1e+; invalid retry delay expression: invalid number '1e+' at position 5",
        ". + 1; invalid retry delay expression: invalid number '.' at position 1",
        ".e5; invalid retry delay expression: invalid number '.e5' at position 1",
        "min(1,,2); invalid retry delay expression: unexpected ',' at position 7",
        "1 = 1; invalid retry delay expression: unexpected '=' at position 3",
      })
  void rejects_malformed_expressions_naming_the_problem(String expr, String message) {
    assertEquals(message, rejection(expr));
  }

  @Test
  void rejects_control_characters_showing_them_escaped() {
    assertEquals(
        "invalid retry delay expression: unexpected '\\u000a' at position 2", rejection("1\n+1"));
    assertEquals(
        "invalid retry delay expression: unexpected '\\u0000' at position 1", rejection("\u0000"));
  }

  @Test
  void truncates_long_names_in_messages() {
    String name = "v".repeat(100);
    assertEquals(
        "invalid retry delay expression: unknown variable '"
            + "v".repeat(32)
            + "...' at position 1"
            + " (only 'retried' is allowed)",
        rejection(name));
  }
}
