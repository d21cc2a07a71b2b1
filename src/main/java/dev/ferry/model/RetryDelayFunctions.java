package dev.ferry.model;

import static dev.ferry.model.RetryDelayExpression.PREFIX;

import dev.ferry.model.RetryDelayExpression.Node;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/** The nine functions QStash documents, bound to their argument nodes. */
final class RetryDelayFunctions {
  private RetryDelayFunctions() {}

  static final String NAMES = "pow, exp, sqrt, abs, floor, ceil, round, min, max";

  static boolean isKnown(String name) {
    switch (name) {
      case "pow":
      case "exp":
      case "sqrt":
      case "abs":
      case "floor":
      case "ceil":
      case "round":
      case "min":
      case "max":
        return true;
      default:
        return false;
    }
  }

  static Node bind(String name, List<Node> args) {
    switch (name) {
      case "pow":
        arity(name, args, 2);
        Node base = args.get(0);
        Node exponent = args.get(1);
        return r -> Math.pow(base.eval(r), exponent.eval(r));
      case "exp":
        return unary(name, args, Math::exp);
      case "sqrt":
        return unary(name, args, Math::sqrt);
      case "abs":
        return unary(name, args, Math::abs);
      case "floor":
        return unary(name, args, Math::floor);
      case "ceil":
        return unary(name, args, Math::ceil);
      case "round":
        return unary(name, args, RetryDelayFunctions::roundHalfAwayFromZero);
      case "min":
        return fold(name, args, true);
      case "max":
        return fold(name, args, false);
      default:
        throw new IllegalStateException(name);
    }
  }

  private static Node unary(String name, List<Node> args, DoubleUnaryOperator f) {
    arity(name, args, 1);
    Node arg = args.get(0);
    return r -> f.applyAsDouble(arg.eval(r));
  }

  private static Node fold(String name, List<Node> args, boolean min) {
    if (args.size() < 2) {
      throw new IllegalArgumentException(
          PREFIX + name + " expects at least 2 arguments, got " + args.size());
    }
    Node[] nodes = args.toArray(new Node[0]);
    return r -> {
      double acc = nodes[0].eval(r);
      for (int i = 1; i < nodes.length; i++) {
        double v = nodes[i].eval(r);
        acc = min ? Math.min(acc, v) : Math.max(acc, v);
      }
      return acc;
    };
  }

  private static void arity(String name, List<Node> args, int expected) {
    if (args.size() != expected) {
      throw new IllegalArgumentException(
          PREFIX
              + name
              + " expects "
              + expected
              + " argument"
              + (expected == 1 ? "" : "s")
              + ", got "
              + args.size());
    }
  }

  /**
   * Go's math.Round: half away from zero. {@code a - floor(a)} is exact, so 0.49999999999999994
   * stays 0.
   */
  static double roundHalfAwayFromZero(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return x;
    }
    double a = Math.abs(x);
    double f = Math.floor(a);
    return Math.copySign(a - f >= 0.5 ? f + 1 : f, x);
  }
}
