package dev.ferry.bench;

import dev.ferry.tools.Percentiles;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The values one figure took in the counted runs (warm-up runs are never added). Pure. */
final class Runs {
  private final List<Double> values = new ArrayList<>();

  Runs add(double value) {
    values.add(value);
    return this;
  }

  boolean isEmpty() {
    return values.isEmpty();
  }

  int size() {
    return values.size();
  }

  double median() {
    return Percentiles.median(values.stream().mapToDouble(Double::doubleValue).toArray());
  }

  double min() {
    return Collections.min(values);
  }

  double max() {
    return Collections.max(values);
  }

  List<Double> values() {
    return List.copyOf(values);
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("runs", new JsonArray(new ArrayList<>(values)));
    if (!isEmpty()) json.put("median", median()).put("min", min()).put("max", max());
    return json;
  }
}
