package dev.ferry.bench;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of the result table: a figure measured on the instrument (if the workload has one) and
 * on Ferry, with its target. Filled by a workload run after run; judged and printed by {@link
 * ResultTable}.
 */
final class Row {
  /** What Ferry must reach on this figure. */
  sealed interface Target permits RatioAtLeast, AtMost, Informational {
    boolean met(Row row);

    String describe();
  }

  /** Ferry's median at least {@code ratio} times the instrument's median (higher is better). */
  record RatioAtLeast(double ratio) implements Target {
    @Override
    public boolean met(Row row) {
      return row.ratio() >= ratio;
    }

    @Override
    public String describe() {
      return ">= " + Math.round(ratio * 100) + "% of instrument";
    }
  }

  /** Ferry's median at most {@code limit} {@code unit} (lower is better). */
  record AtMost(double limit, String unit) implements Target {
    @Override
    public boolean met(Row row) {
      return row.ferry.median() <= limit;
    }

    @Override
    public String describe() {
      return "<= "
          + (limit == Math.rint(limit) ? String.valueOf((long) limit) : String.valueOf(limit))
          + " "
          + unit;
    }
  }

  /** Shown for context, not judged. */
  record Informational() implements Target {
    @Override
    public boolean met(Row row) {
      return true;
    }

    @Override
    public String describe() {
      return "-";
    }
  }

  final String workload;
  final String figure;
  final String unit;
  final Target target;

  /** Null when the workload has no instrument for this figure. */
  final Runs instrument;

  final Runs ferry = new Runs();
  final List<String> notes = new ArrayList<>();

  Row(String workload, String figure, String unit, boolean hasInstrument, Target target) {
    this.workload = workload;
    this.figure = figure;
    this.unit = unit;
    this.instrument = hasInstrument ? new Runs() : null;
    this.target = target;
  }

  boolean complete() {
    return !ferry.isEmpty() && (instrument == null || !instrument.isEmpty());
  }

  /** Ferry's median over the instrument's; NaN without an instrument or data. */
  double ratio() {
    if (instrument == null || !complete() || instrument.median() == 0) return Double.NaN;
    return ferry.median() / instrument.median();
  }

  /** PASS, MISS, or "-" for an informational row, or "n/a" when runs are missing. */
  String result() {
    if (!complete()) return "n/a";
    if (target instanceof Informational) return "-";
    return target.met(this) ? "PASS" : "MISS";
  }

  Row note(String note) {
    notes.add(note);
    return this;
  }

  JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("workload", workload)
            .put("figure", figure)
            .put("unit", unit)
            .put("ferry", ferry.toJson())
            .put("target", target.describe())
            .put("result", result());
    if (instrument != null) json.put("instrument", instrument.toJson());
    double ratio = ratio();
    if (!Double.isNaN(ratio)) json.put("ratio", ratio);
    if (!notes.isEmpty()) json.put("notes", notes);
    return json;
  }
}
