package dev.ferry.api.publish;

import dev.ferry.ingest.Published;
import io.vertx.core.json.JsonObject;

/**
 * Writes publish results as JSON text directly: on the hot path a batch of 100 answers with 100
 * small objects, and building them as JsonObjects for Jackson to serialize cost more than parsing
 * the request did. Shapes: an object {@code {"messageId","url","deduplicated"?}} per URL message,
 * an array of them for a URL-group fan-out.
 */
final class PublishResponses {
  private PublishResponses() {}

  static void append(StringBuilder out, Published published) {
    if (!published.fanOut()) {
      item(out, published.items().get(0));
      return;
    }
    out.append('[');
    for (int i = 0; i < published.items().size(); i++) {
      if (i > 0) out.append(',');
      item(out, published.items().get(i));
    }
    out.append(']');
  }

  static void appendError(StringBuilder out, String message) {
    out.append(new JsonObject().put("error", message).encode());
  }

  private static void item(StringBuilder out, Published.Item item) {
    out.append("{\"messageId\":");
    string(out, item.messageId());
    out.append(",\"url\":");
    string(out, item.url());
    if (item.deduplicated()) out.append(",\"deduplicated\":true");
    out.append('}');
  }

  /**
   * A JSON string; ids and validated URLs are printable ASCII, but quote and backslash still need
   * escaping.
   */
  private static void string(StringBuilder out, String s) {
    out.append('"');
    if (plain(s)) {
      out.append(s).append('"');
      return;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }

  private static boolean plain(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\' || c < 0x20) return false;
    }
    return true;
  }
}
