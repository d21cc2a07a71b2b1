package dev.ferry.api.messages;

import dev.ferry.lifecycle.MessageFields;
import dev.ferry.model.HeaderNames;
import dev.ferry.model.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code Upstash-Redact-Fields} hides in API output: the body, every header, or named headers.
 * A hidden value is shown as {@code REDACTED:<hex SHA-256 of the value>}, so equal values stay
 * recognisable without being readable; the stored message keeps the originals, which is what gets
 * delivered.
 *
 * @param body hide the body
 * @param allHeaders hide every header value
 * @param headerNames canonical names of the headers to hide
 */
record Redactions(boolean body, boolean allHeaders, Set<String> headerNames) {
  static final Redactions NONE = new Redactions(false, false, Set.of());

  /** The message's redactions, from its normalised field list ({@code body,header,header[X-Y]}). */
  static Redactions of(Message m) {
    String fields = MessageFields.redactFields(m);
    if (fields == null || fields.isEmpty()) return NONE;
    boolean body = false;
    boolean all = false;
    Set<String> names = new HashSet<>();
    for (String f : fields.split(",")) {
      if (f.equals("body")) {
        body = true;
      } else if (f.equals("header")) {
        all = true;
      } else if (f.startsWith("header[") && f.endsWith("]")) {
        names.add(HeaderNames.canonical(f.substring(7, f.length() - 1)));
      }
    }
    return new Redactions(body, all, names);
  }

  /** The rendered header map with hidden values replaced. */
  JsonObject headers(JsonObject rendered, Map<String, List<String>> original) {
    if (!allHeaders && headerNames.isEmpty()) return rendered;
    JsonObject out = new JsonObject();
    original.forEach(
        (name, values) -> {
          if (allHeaders || headerNames.contains(HeaderNames.canonical(name))) {
            JsonArray hidden = new JsonArray();
            values.forEach(v -> hidden.add(redacted(v.getBytes(StandardCharsets.UTF_8))));
            out.put(name, hidden);
          } else {
            out.put(name, rendered.getValue(name));
          }
        });
    return out;
  }

  static String redacted(byte[] value) {
    try {
      return "REDACTED:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
