package dev.ferry.store.codec;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Headers (name → values in order) as the JSON-encoded records keep them: an object of string
 * arrays. Shared by the schedule, workflow-run and waiter codecs. Pure.
 */
final class HeaderJson {
  private HeaderJson() {}

  static JsonObject encode(Map<String, List<String>> headers) {
    JsonObject out = new JsonObject();
    headers.forEach((name, values) -> out.put(name, new JsonArray(new ArrayList<>(values))));
    return out;
  }

  /** {@link #encode}'s inverse; null (an absent field) is no headers. */
  static Map<String, List<String>> decode(JsonObject json) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (json != null) json.forEach(e -> out.put(e.getKey(), strings((JsonArray) e.getValue())));
    return out;
  }

  /** The strings of an array; null (an absent field) is none. */
  static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    if (array != null) array.forEach(v -> out.add((String) v));
    return out;
  }
}
