package dev.ferry.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed {@code Upstash-Retry-Delay} expression (docs/compatibility.md#retries): the delay in
 * milliseconds before the next retry as a function of {@code retried}. Immutable and thread-safe;
 * parsed by the API at publish time (so bad input is a 400) and evaluated by {@link RetryPolicy}
 * after each failed attempt. A hand-written parser: no script engine.
 *
 * <p>Grammar (whitespace = spaces and tabs between tokens):
 *
 * <pre>
 *   expr    = term { ("+" | "-") term }
 *   term    = unary { ("*" | "/" | "%") unary }
 *   unary   = ("-" | "+") unary | primary
 *   primary = number | "retried" | function "(" expr { "," expr } ")" | "(" expr ")"
 *   number  = digits ["." digits] | "." digits, optionally followed by an exponent such as e3 or E-2
 * </pre>
 *
 * Functions: {@code pow(x, y)}, {@code exp, sqrt, abs, floor, ceil, round} (one argument; {@code
 * round} rounds half away from zero, as Go's {@code math.Round}), {@code min} and {@code max} (two
 * or more arguments). Names are case-sensitive. {@code %} is the floating-point remainder (sign of
 * the dividend, like Go's {@code math.Mod}).
 *
 * <p>Bounds and decisions: input at most {@link #MAX_LENGTH} characters; nesting (parentheses,
 * function calls, unary signs) at most {@link #MAX_DEPTH} deep; both are parse errors, never stack
 * overflows. Arithmetic is in doubles and never throws: a result that is NaN, negative or zero
 * gives 0 ms; a result at or above {@link #MAX_DELAY_MILLIS} (one day, QStash's retry-delay cap),
 * including +Infinity from division by zero or {@code pow(10, 1e6)}, gives one day; anything
 * between is truncated to whole milliseconds. At parse time the expression is evaluated once with
 * {@code retried = 0}: a NaN there (e.g. {@code sqrt(-1)}, {@code 0/0}) is rejected as obviously
 * broken; other anomalies are clamped as above because they may be intended ({@code 1000 / retried}
 * is infinite only for the first retry).
 */
public final class RetryDelayExpression {
  /** Longest accepted expression. */
  public static final int MAX_LENGTH = 1024;

  /** Deepest accepted nesting of parentheses, function calls and unary signs. */
  public static final int MAX_DEPTH = 64;

  /** Largest delay an expression can produce: one day. */
  public static final long MAX_DELAY_MILLIS = 86_400_000L;

  static final String PREFIX = "invalid retry delay expression: ";

  /** One node of the expression tree, evaluated for a value of {@code retried}. */
  @FunctionalInterface
  interface Node {
    double eval(double retried);
  }

  private final String source;
  private final Node root;

  private RetryDelayExpression(String source, Node root) {
    this.source = source;
    this.root = root;
  }

  /**
   * Parses and checks an expression.
   *
   * @throws IllegalArgumentException with a message naming the problem and, where useful, its
   *     1-based position
   */
  public static RetryDelayExpression parse(String expr) {
    if (expr == null || expr.isBlank()) {
      throw new IllegalArgumentException(PREFIX + "expression is empty");
    }
    if (expr.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(PREFIX + "longer than " + MAX_LENGTH + " characters");
    }
    Node root = new Parser(expr).parseAll();
    double first;
    try {
      first = root.eval(0);
    } catch (
        RuntimeException
            e) { // cannot happen with the node set above; kept so nothing leaks as a 500
      throw new IllegalArgumentException(PREFIX + "cannot be evaluated");
    }
    if (Double.isNaN(first)) {
      throw new IllegalArgumentException(PREFIX + "result is not a number for retried = 0");
    }
    return new RetryDelayExpression(expr, root);
  }

  /**
   * The delay in ms before the next retry, {@code retried} being the retries already done; in [0, 1
   * day].
   */
  public long delayMillis(int retried) {
    double value = root.eval(retried);
    if (Double.isNaN(value) || value <= 0) {
      return 0;
    }
    if (value >= MAX_DELAY_MILLIS) {
      return MAX_DELAY_MILLIS;
    }
    return (long) value;
  }

  /** The expression text as given (what the API returns as {@code retryDelayExpression}). */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return source;
  }

  /** Recursive-descent parser over the source string; one instance per parse. */
  private static final class Parser {
    private final String s;
    private int pos;
    private int depth;

    Parser(String s) {
      this.s = s;
    }

    Node parseAll() {
      Node node = expression();
      skipSpaces();
      if (pos < s.length()) {
        throw unexpected();
      }
      return node;
    }

    private Node expression() {
      enter();
      Node left = term();
      for (char op = nextOperator("+-"); op != 0; op = nextOperator("+-")) {
        left = binary(op, left, term());
      }
      depth--;
      return left;
    }

    private Node term() {
      Node left = unary();
      for (char op = nextOperator("*/%"); op != 0; op = nextOperator("*/%")) {
        left = binary(op, left, unary());
      }
      return left;
    }

    /**
     * Consumes and returns the next character if it is one of {@code operators}, else returns 0.
     */
    private char nextOperator(String operators) {
      skipSpaces();
      if (pos < s.length() && operators.indexOf(s.charAt(pos)) >= 0) {
        return s.charAt(pos++);
      }
      return 0;
    }

    private static Node binary(char op, Node a, Node b) {
      switch (op) {
        case '+':
          return r -> a.eval(r) + b.eval(r);
        case '-':
          return r -> a.eval(r) - b.eval(r);
        case '*':
          return r -> a.eval(r) * b.eval(r);
        case '/':
          return r -> a.eval(r) / b.eval(r);
        default:
          return r -> a.eval(r) % b.eval(r);
      }
    }

    private Node unary() {
      skipSpaces();
      if (pos < s.length() && (s.charAt(pos) == '-' || s.charAt(pos) == '+')) {
        boolean negate = s.charAt(pos++) == '-';
        enter();
        Node operand = unary();
        depth--;
        return negate ? r -> -operand.eval(r) : operand;
      }
      return primary();
    }

    private Node primary() {
      skipSpaces();
      if (pos >= s.length()) {
        throw new IllegalArgumentException(PREFIX + "unexpected end of expression");
      }
      char c = s.charAt(pos);
      if (accept('(')) {
        Node inner = expression();
        expect(')');
        return inner;
      }
      if (isDigit(c) || c == '.') {
        return number();
      }
      if (isIdentStart(c)) {
        return identifier();
      }
      throw unexpected();
    }

    private Node number() {
      int start = pos;
      while (pos < s.length() && isDigit(s.charAt(pos))) {
        pos++;
      }
      if (pos < s.length() && s.charAt(pos) == '.') {
        pos++;
        while (pos < s.length() && isDigit(s.charAt(pos))) {
          pos++;
        }
      }
      if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
        pos++;
        if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
          pos++;
        }
        int digits = pos;
        while (pos < s.length() && isDigit(s.charAt(pos))) {
          pos++;
        }
        if (pos == digits) {
          throw invalidNumber(start);
        }
      }
      String text = s.substring(start, pos);
      if (text.equals(".") || text.startsWith(".e") || text.startsWith(".E")) {
        throw invalidNumber(start);
      }
      double value = Double.parseDouble(text);
      return r -> value;
    }

    private Node identifier() {
      int start = pos;
      while (pos < s.length() && isIdentPart(s.charAt(pos))) {
        pos++;
      }
      String name = s.substring(start, pos);
      skipSpaces();
      if (pos < s.length() && s.charAt(pos) == '(') {
        return call(name, start);
      }
      if (name.equals("retried")) {
        return r -> r;
      }
      if (RetryDelayFunctions.isKnown(name)) {
        throw new IllegalArgumentException(
            PREFIX + "function '" + name + "' needs arguments in parentheses");
      }
      throw new IllegalArgumentException(
          PREFIX
              + "unknown variable '"
              + shown(name)
              + "' at position "
              + (start + 1)
              + " (only 'retried' is allowed)");
    }

    private Node call(String name, int start) {
      if (!RetryDelayFunctions.isKnown(name)) {
        throw new IllegalArgumentException(
            PREFIX
                + "unknown function '"
                + shown(name)
                + "' at position "
                + (start + 1)
                + " (allowed: "
                + RetryDelayFunctions.NAMES
                + ")");
      }
      expect('(');
      List<Node> args =
          new ArrayList<>(); // each argument is an expression(), which counts one level
      skipSpaces();
      if (!accept(')')) {
        args.add(expression());
        skipSpaces();
        while (accept(',')) {
          args.add(expression());
          skipSpaces();
        }
        expect(')');
      }
      return RetryDelayFunctions.bind(name, args);
    }

    private void enter() {
      if (++depth > MAX_DEPTH) {
        throw new IllegalArgumentException(PREFIX + "nested deeper than " + MAX_DEPTH + " levels");
      }
    }

    private void skipSpaces() {
      while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
        pos++;
      }
    }

    private boolean accept(char c) {
      if (pos < s.length() && s.charAt(pos) == c) {
        pos++;
        return true;
      }
      return false;
    }

    private void expect(char c) {
      skipSpaces();
      if (!accept(c)) {
        if (pos >= s.length()) {
          throw new IllegalArgumentException(PREFIX + "missing '" + c + "' at end of expression");
        }
        throw new IllegalArgumentException(
            PREFIX
                + "expected '"
                + c
                + "' at position "
                + (pos + 1)
                + " but found '"
                + printable(s.charAt(pos))
                + "'");
      }
    }

    private IllegalArgumentException unexpected() {
      if (pos >= s.length()) {
        return new IllegalArgumentException(PREFIX + "unexpected end of expression");
      }
      char c = s.charAt(pos);
      String hint = c == '^' ? " (use pow(x, y))" : "";
      return new IllegalArgumentException(
          PREFIX + "unexpected '" + printable(c) + "' at position " + (pos + 1) + hint);
    }

    private IllegalArgumentException invalidNumber(int start) {
      return new IllegalArgumentException(
          PREFIX
              + "invalid number '"
              + shown(s.substring(start, pos))
              + "' at position "
              + (start + 1));
    }

    private static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }

    private static boolean isIdentStart(char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isIdentPart(char c) {
      return isIdentStart(c) || isDigit(c);
    }

    private static String printable(char c) {
      return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
    }

    private static String shown(String text) {
      return text.length() <= 32 ? text : text.substring(0, 32) + "...";
    }
  }
}
