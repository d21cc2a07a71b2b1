package dev.ferry.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of {@code Upstash-Retry-Delay} (docs/compatibility.md#retries): a generated expression
 * evaluates exactly as an independent reference evaluator says, clamped to [0, 1 day]; any other
 * input is either such a value for every {@code retried} or a clean refusal, never an exception of
 * another kind.
 */
class RetryDelayExpressionPropertyTest {
  private static final int[] RETRIED = {0, 1, 2, 3, 7, 20, 100, 10_000, Integer.MAX_VALUE};
  private static final String PREFIX = "invalid retry delay expression: ";

  /**
   * A reference expression tree: its source text and its value, computed without Ferry's parser.
   */
  interface Expr {
    String text();

    double eval(double retried);
  }

  record Num(String text) implements Expr {
    public double eval(double r) {
      return Double.parseDouble(text);
    }
  }

  record Retried() implements Expr {
    public String text() {
      return "retried";
    }

    public double eval(double r) {
      return r;
    }
  }

  record Bin(char op, Expr a, Expr b) implements Expr {
    public String text() {
      return "(" + a.text() + " " + op + " " + b.text() + ")";
    }

    public double eval(double r) {
      double x = a.eval(r);
      double y = b.eval(r);
      switch (op) {
        case '+':
          return x + y;
        case '-':
          return x - y;
        case '*':
          return x * y;
        case '/':
          return x / y;
        default:
          return x % y; // IEEE remainder with the dividend's sign, as Go's math.Mod
      }
    }
  }

  record Neg(Expr a) implements Expr {
    public String text() {
      return "-" + a.text();
    }

    public double eval(double r) {
      return -a.eval(r);
    }
  }

  record Call(String name, List<Expr> args) implements Expr {
    public String text() {
      StringBuilder s = new StringBuilder(name).append('(');
      for (int i = 0; i < args.size(); i++) s.append(i == 0 ? "" : ", ").append(args.get(i).text());
      return s.append(')').toString();
    }

    public double eval(double r) {
      double x = args.get(0).eval(r);
      switch (name) {
        case "pow":
          return Math.pow(x, args.get(1).eval(r));
        case "exp":
          return Math.exp(x);
        case "sqrt":
          return Math.sqrt(x);
        case "abs":
          return Math.abs(x);
        case "floor":
          return Math.floor(x);
        case "ceil":
          return Math.ceil(x);
        case "round":
          return roundHalfAwayFromZero(x);
        default:
          double acc = x;
          for (Expr e : args.subList(1, args.size())) {
            acc = name.equals("min") ? Math.min(acc, e.eval(r)) : Math.max(acc, e.eval(r));
          }
          return acc;
      }
    }
  }

  /**
   * Exact decimal rounding of the binary value: half away from zero, keeping the sign of zero like
   * Go.
   */
  static double roundHalfAwayFromZero(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x)) return x;
    return Math.copySign(new BigDecimal(x).setScale(0, RoundingMode.HALF_UP).doubleValue(), x);
  }

  static long clamp(double v) {
    if (Double.isNaN(v) || v <= 0) return 0;
    return v >= RetryDelayExpression.MAX_DELAY_MILLIS
        ? RetryDelayExpression.MAX_DELAY_MILLIS
        : (long) v;
  }

  @Property(tries = 1000)
  void a_generated_expression_evaluates_as_the_reference_says(@ForAll("expressions") Expr expr) {
    String text = expr.text();
    if (Double.isNaN(expr.eval(0))) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> RetryDelayExpression.parse(text));
      assertTrue(e.getMessage().contains("not a number"), e.getMessage());
      return;
    }
    RetryDelayExpression parsed = RetryDelayExpression.parse(text);
    for (int r : RETRIED) {
      assertEquals(clamp(expr.eval(r)), parsed.delayMillis(r), () -> text + " at retried=" + r);
    }
    assertEquals(text, parsed.source());
  }

  @Property(tries = 300)
  void spaces_and_tabs_between_tokens_change_nothing(
      @ForAll("expressions") Expr expr, @ForAll @IntRange(min = 0, max = 3) int spaces) {
    String text = expr.text();
    String spaced =
        text.replace("(", "(" + " \t".repeat(spaces)).replace(",", " \t".repeat(spaces) + ",");
    if (spaced.length() > RetryDelayExpression.MAX_LENGTH || Double.isNaN(expr.eval(0))) return;
    RetryDelayExpression a = RetryDelayExpression.parse(text);
    RetryDelayExpression b = RetryDelayExpression.parse(spaced);
    for (int r : RETRIED) assertEquals(a.delayMillis(r), b.delayMillis(r));
  }

  @Property(tries = 3000)
  void any_input_is_a_bounded_delay_or_a_clean_refusal(@ForAll("expressionish") String input) {
    RetryDelayExpression parsed;
    try {
      parsed = RetryDelayExpression.parse(input);
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage().startsWith(PREFIX), e.getMessage());
      return;
    }
    assertTrue(input.length() <= RetryDelayExpression.MAX_LENGTH);
    for (int r : RETRIED) {
      long delay = parsed.delayMillis(r);
      assertTrue(
          delay >= 0 && delay <= RetryDelayExpression.MAX_DELAY_MILLIS, input + " → " + delay);
    }
  }

  @Example
  void hostile_classics_are_clamped_or_refused() {
    assertRefused("1".repeat(10 * 1024), "longer than");
    assertRefused("(".repeat(1000) + "1" + ")".repeat(1000), "longer than");
    assertRefused("(".repeat(500) + "1" + ")".repeat(500), "nested deeper");
    assertRefused("-".repeat(1000) + "1", "nested deeper");
    assertRefused("pow(".repeat(200) + "2,2" + ")".repeat(200), "nested deeper");
    assertEquals(
        RetryDelayExpression.MAX_DELAY_MILLIS,
        RetryDelayExpression.parse("pow(10, 1e6)").delayMillis(0));
    assertEquals(
        RetryDelayExpression.MAX_DELAY_MILLIS, RetryDelayExpression.parse("1e400").delayMillis(0));
    assertEquals(
        RetryDelayExpression.MAX_DELAY_MILLIS,
        RetryDelayExpression.parse("1000 / 0").delayMillis(3));
    assertEquals(0, RetryDelayExpression.parse("-1000 / 0").delayMillis(3));
    assertEquals(
        RetryDelayExpression.MAX_DELAY_MILLIS,
        RetryDelayExpression.parse("1000 / retried").delayMillis(0));
    assertRefused("0 / 0", "not a number");
    assertRefused("sqrt(-1)", "not a number");
    assertRefused("NaN", "unknown variable");
    assertRefused("Infinity", "unknown variable");
    assertRefused("system(1)", "unknown function");
    assertRefused("java.lang.Runtime", "unknown variable");
    assertRefused("1 ^ 2", "pow");
  }

  private static void assertRefused(String input, String fragment) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RetryDelayExpression.parse(input));
    assertTrue(
        e.getMessage().startsWith(PREFIX) && e.getMessage().contains(fragment), e.getMessage());
  }

  @Provide
  Arbitrary<Expr> expressions() {
    return expression(5).filter(e -> e.text().length() <= RetryDelayExpression.MAX_LENGTH);
  }

  private Arbitrary<Expr> expression(int depth) {
    Arbitrary<Expr> leaf =
        Arbitraries.oneOf(
            Arbitraries.just(new Retried()),
            Arbitraries.integers().between(0, 100_000).map(n -> new Num(Integer.toString(n))),
            Arbitraries.of("0.5", ".25", "1.5e3", "2E-1", "1e308", "1e400", "0", "0.0", "3.")
                .map(Num::new));
    if (depth == 0) return leaf;
    Arbitrary<Expr> sub = Arbitraries.lazy(() -> expression(depth - 1));
    Arbitrary<Expr> binary =
        Combinators.combine(Arbitraries.of('+', '-', '*', '/', '%'), sub, sub).as(Bin::new);
    Arbitrary<Expr> unaryCall =
        Combinators.combine(Arbitraries.of("exp", "sqrt", "abs", "floor", "ceil", "round"), sub)
            .as((n, a) -> new Call(n, List.of(a)));
    Arbitrary<Expr> pow =
        Combinators.combine(sub, sub).as((a, b) -> new Call("pow", List.of(a, b)));
    Arbitrary<Expr> fold =
        Combinators.combine(Arbitraries.of("min", "max"), sub.list().ofMinSize(2).ofMaxSize(4))
            .as(Call::new);
    return Arbitraries.frequencyOf(
        Tuple.of(3, leaf),
        Tuple.of(4, binary),
        Tuple.of(2, unaryCall),
        Tuple.of(1, pow),
        Tuple.of(1, fold),
        Tuple.of(1, sub.map(Neg::new)));
  }

  /** Token soup from the grammar's alphabet, plus near-misses and arbitrary text. */
  @Provide
  Arbitrary<String> expressionish() {
    Arbitrary<String> tokens =
        Arbitraries.of(
            "retried",
            "pow",
            "exp",
            "sqrt",
            "abs",
            "floor",
            "ceil",
            "round",
            "min",
            "max",
            "(",
            ")",
            ",",
            "+",
            "-",
            "*",
            "/",
            "%",
            "^",
            " ",
            "\t",
            "1",
            "0",
            "1e308",
            "1e999",
            ".",
            "e",
            "E",
            "2.5",
            "NaN",
            "Infinity",
            "x",
            "_",
            "\u0000",
            "é",
            "٣");
    return Arbitraries.frequencyOf(
        Tuple.of(8, tokens.list().ofMaxSize(30).map(l -> String.join("", l))),
        Tuple.of(2, Arbitraries.strings().ofMaxLength(50)),
        Tuple.of(1, tokens.list().ofMinSize(200).ofMaxSize(600).map(l -> String.join("", l))));
  }

  @Property(tries = 100)
  void long_expressions_up_to_the_limit_evaluate_exactly(
      @ForAll @IntRange(min = 1, max = 56) int terms) {
    // up to the longest expression allowed (56 terms = 1 005 characters), for huge retried values
    // too
    String expr = String.join(" + ", java.util.Collections.nCopies(terms, "pow(retried, 2)"));
    RetryDelayExpression parsed = RetryDelayExpression.parse(expr);
    assertEquals(
        clamp(terms * Math.pow(Integer.MAX_VALUE, 2)), parsed.delayMillis(Integer.MAX_VALUE));
    DoubleUnaryOperator reference = r -> terms * r * r;
    assertEquals(clamp(reference.applyAsDouble(3)), parsed.delayMillis(3));
  }
}
