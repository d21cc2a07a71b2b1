package dev.ferry.model;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Go's duration syntax ({@code time.ParseDuration}): a sequence of {@code <number><unit>} such as
 * {@code 1h30m}, {@code 1.5h}, {@code 300ms}; units {@code ns}, {@code us}, {@code µs} (U+00B5),
 * {@code ms}, {@code s}, {@code m}, {@code h}, case-sensitive. The one parser behind the API's
 * duration headers, config durations and the delay headers of destination responses; each caller
 * adds its own rules around it (bare numbers, signs, ISO-8601, trimming) and words its own errors,
 * and picks a {@link Dialect} for where they differ.
 *
 * <p>Integer nanoseconds in a single left-to-right pass. As in Go, each part is rounded down to the
 * nanosecond and fractional digits beyond the 18th are dropped; an {@link Dialect#exact} dialect
 * instead counts every digit and rounds down only the sum.
 *
 * @param nanos the duration in nanoseconds, rounded down
 * @param truncated true when something below the nanosecond was rounded away
 */
public record GoDuration(long nanos, boolean truncated) {
  private static final int MAX_FRACTION_DIGITS = 18;

  /**
   * Where callers differ.
   *
   * @param days also the unit {@code d} = 24h
   * @param greekMu also {@code μs} with U+03BC (the Greek letter) for microseconds, as Go accepts
   * @param looseFractions a part may have no digits before the point ({@code .5s}) or none after it
   *     ({@code 5.s}), as in Go; otherwise both sides need digits
   * @param exact every fractional digit counts and the parts' fractions of a nanosecond add up
   *     before the total is rounded down, as exact decimal arithmetic would have it
   * @param maxNanos largest accepted total
   */
  public record Dialect(
      boolean days, boolean greekMu, boolean looseFractions, boolean exact, long maxNanos) {}

  /** What is wrong with a refused value. */
  public enum Problem {
    EXPECTED_NUMBER,
    MISSING_UNIT,
    UNKNOWN_UNIT,
    TOO_LARGE
  }

  /** A refused value; callers turn it into their own message. */
  public static final class Invalid extends IllegalArgumentException {
    private final Problem problem;
    private final int position;
    private final String unit;

    Invalid(Problem problem, int position, String unit) {
      super(problem + " at " + position);
      this.problem = problem;
      this.position = position;
      this.unit = unit;
    }

    public Problem problem() {
      return problem;
    }

    /**
     * 1-based position in the parsed text where a number was expected ({@link
     * Problem#EXPECTED_NUMBER}).
     */
    public int position() {
      return position;
    }

    /** The unit text that is not a unit ({@link Problem#UNKNOWN_UNIT}). */
    public String unit() {
      return unit;
    }
  }

  /**
   * Parses {@code s} from index {@code from} to its end (at least one part).
   *
   * @throws Invalid naming the problem
   */
  public static GoDuration parse(String s, int from, Dialect dialect) {
    long max = dialect.maxNanos();
    long total = 0;
    boolean truncated = false;
    BigDecimal belowNanos = BigDecimal.ZERO; // exact dialects: the parts' fractions of a nanosecond
    int i = from;
    int n = s.length();
    if (i >= n) throw new Invalid(Problem.EXPECTED_NUMBER, i + 1, null);
    while (i < n) {
      int intStart = i;
      long whole = 0;
      while (i < n && isDigit(s.charAt(i))) {
        int digit = s.charAt(i) - '0';
        if (whole > (max - digit) / 10)
          throw new Invalid(Problem.TOO_LARGE, i + 1, null); // before it can overflow
        whole = whole * 10 + digit;
        i++;
      }
      boolean hasWhole = i > intStart;
      long fraction = 0;
      int fractionDigits = 0;
      int fracStart = i + 1;
      boolean hasPoint = false;
      boolean hasFraction = false;
      if (i < n && s.charAt(i) == '.') {
        hasPoint = true;
        i++;
        while (i < n && isDigit(s.charAt(i))) {
          if (fractionDigits < MAX_FRACTION_DIGITS) {
            fraction = fraction * 10 + (s.charAt(i) - '0');
            fractionDigits++;
          } else if (s.charAt(i) != '0' && !dialect.exact()) {
            truncated = true;
          }
          i++;
        }
        hasFraction = i > fracStart;
      }
      boolean numberOk =
          dialect.looseFractions()
              ? hasWhole || hasFraction
              : hasWhole && (!hasPoint || hasFraction);
      if (!numberOk) throw new Invalid(Problem.EXPECTED_NUMBER, i + 1, null);
      // the unit: everything up to the next digit or '.', as Go scans it
      int unitStart = i;
      while (i < n && s.charAt(i) != '.' && !isDigit(s.charAt(i))) i++;
      if (i == unitStart) throw new Invalid(Problem.MISSING_UNIT, i + 1, null);
      String unitText = s.substring(unitStart, i);
      long unit = unitNanos(unitText, dialect);
      if (unit == 0) throw new Invalid(Problem.UNKNOWN_UNIT, unitStart + 1, unitText);
      if (whole > max / unit) throw new Invalid(Problem.TOO_LARGE, i, null);
      long part = whole * unit;
      if (hasFraction) {
        // fraction * unit / 10^digits, split into whole nanoseconds and what is below one
        BigInteger digits =
            dialect.exact()
                ? new BigInteger(s.substring(fracStart, unitStart))
                : BigInteger.valueOf(fraction);
        int scale = dialect.exact() ? unitStart - fracStart : fractionDigits;
        BigInteger[] split =
            digits.multiply(BigInteger.valueOf(unit)).divideAndRemainder(BigInteger.TEN.pow(scale));
        long fractionNanos = split[0].longValueExact(); // below one unit, so it fits
        if (split[1].signum() != 0) {
          if (dialect.exact()) belowNanos = belowNanos.add(new BigDecimal(split[1], scale));
          else truncated = true;
        }
        if (fractionNanos > max - part) throw new Invalid(Problem.TOO_LARGE, i, null);
        part += fractionNanos;
      }
      if (part > max - total) throw new Invalid(Problem.TOO_LARGE, i, null);
      total += part;
    }
    if (belowNanos.signum() != 0) {
      BigDecimal[] split = belowNanos.divideAndRemainder(BigDecimal.ONE);
      long carried = split[0].longValueExact(); // less than one per part
      if (carried > max - total) throw new Invalid(Problem.TOO_LARGE, n, null);
      total += carried;
      truncated = split[1].signum() != 0;
    }
    return new GoDuration(total, truncated);
  }

  private static long unitNanos(String unit, Dialect dialect) {
    switch (unit) {
      case "ns":
        return 1L;
      case "us":
      case "\u00b5s": // micro sign
        return 1_000L;
      case "\u03bcs": // Greek small letter mu
        return dialect.greekMu() ? 1_000L : 0;
      case "ms":
        return 1_000_000L;
      case "s":
        return 1_000_000_000L;
      case "m":
        return 60_000_000_000L;
      case "h":
        return 3_600_000_000_000L;
      case "d":
        return dialect.days() ? 86_400_000_000_000L : 0;
      default:
        return 0;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
