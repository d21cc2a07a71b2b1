package dev.ferry.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders the rows as a Markdown table (medians with [min..max], ratio, target, PASS/MISS) and as
 * JSON. Pure.
 */
final class ResultTable {
  private static final List<String> HEADER =
      List.of(
          "workload",
          "figure",
          "instrument (no logic)",
          "Ferry",
          "Ferry/instr.",
          "target",
          "result");

  private ResultTable() {}

  static String markdown(List<Row> rows) {
    List<List<String>> cells = new ArrayList<>();
    cells.add(HEADER);
    for (Row row : rows) {
      double ratio = row.ratio();
      cells.add(
          List.of(
              row.workload,
              row.figure,
              row.instrument == null ? "-" : runs(row.instrument),
              runs(row.ferry),
              Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.0f%%", ratio * 100),
              row.target.describe(),
              row.result()));
    }
    int[] width = new int[HEADER.size()];
    for (List<String> line : cells) {
      for (int i = 0; i < line.size(); i++) width[i] = Math.max(width[i], line.get(i).length());
    }
    StringBuilder out = new StringBuilder();
    for (int l = 0; l < cells.size(); l++) {
      out.append(line(cells.get(l), width));
      if (l == 0) {
        List<String> rule = new ArrayList<>();
        for (int w : width) rule.add("-".repeat(w));
        out.append(line(rule, width));
      }
    }
    return out.toString();
  }

  /** {@code median [min..max]}, or the single value for one run, or "n/a". */
  static String runs(Runs runs) {
    if (runs.isEmpty()) return "n/a";
    if (runs.size() == 1) return number(runs.median());
    return number(runs.median()) + " [" + number(runs.min()) + ".." + number(runs.max()) + "]";
  }

  /** Large counts in thousands ({@code 412.3k}), small figures with two decimals. */
  static String number(double value) {
    if (Math.abs(value) >= 10_000) return String.format(Locale.ROOT, "%.1fk", value / 1000);
    if (Math.abs(value) >= 1_000) return String.format(Locale.ROOT, "%.0f", value);
    return String.format(Locale.ROOT, "%.2f", value);
  }

  static JsonObject json(List<Row> rows, JsonObject environment) {
    JsonArray figures = new JsonArray();
    rows.forEach(r -> figures.add(r.toJson()));
    return environment.copy().put("figures", figures);
  }

  private static String line(List<String> cells, int[] width) {
    StringBuilder out = new StringBuilder("|");
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      out.append(' ').append(c).append(" ".repeat(width[i] - c.length())).append(" |");
    }
    return out.append('\n').toString();
  }
}
