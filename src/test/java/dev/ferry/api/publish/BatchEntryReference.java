package dev.ferry.api.publish;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link BatchJson} must read from a batch, worked out the slow way from the tree a general
 * JSON reader builds (Vert.x's): the reference its tests compare the streaming reader against.
 */
final class BatchEntryReference {
  private BatchEntryReference() {}

  static List<BatchEntry> of(JsonArray batch) {
    List<BatchEntry> entries = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      entries.add(
          batch.getValue(i) instanceof JsonObject entry ? entry(entry) : BatchEntry.NOT_AN_OBJECT);
    }
    return entries;
  }

  private static BatchEntry entry(JsonObject json) {
    Map<String, List<String>> headers = Map.of();
    String headersError = null;
    Object headerValue = json.getValue("headers");
    if (headerValue instanceof JsonObject h) {
      headers = new LinkedHashMap<>();
      headersError = headers(h, headers);
    } else if (headerValue != null) {
      headersError = "headers must be an object";
    }
    byte[] body = new byte[0];
    String bodyError = null;
    Object bodyValue = json.getValue("body");
    if (bodyValue instanceof String s) {
      body = s.getBytes(StandardCharsets.UTF_8);
    } else if (bodyValue instanceof JsonObject o) {
      body = o.toBuffer().getBytes();
    } else if (bodyValue instanceof JsonArray a) {
      body = a.toBuffer().getBytes();
    } else if (bodyValue != null) {
      bodyError = "body must be a string, or a JSON object or array";
    }
    return new BatchEntry(
        true,
        json.getValue("destination"),
        json.getValue("queue"),
        headers,
        headersError,
        body,
        bodyError);
  }

  private static String headers(JsonObject json, Map<String, List<String>> out) {
    String problem = null;
    for (String name : json.fieldNames()) {
      Object value = json.getValue(name);
      List<String> values =
          out.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>());
      if (value instanceof String s) {
        values.add(s);
      } else if (value instanceof JsonArray array) {
        for (Object v : array) {
          if (v instanceof String s) values.add(s);
          else if (problem == null) problem = "headers." + name + ": values must be strings";
        }
      } else if (value instanceof Number || value instanceof Boolean) {
        values.add(String.valueOf(value));
      } else if (problem == null) {
        problem = "headers." + name + ": value must be a string";
      }
    }
    return problem;
  }
}
