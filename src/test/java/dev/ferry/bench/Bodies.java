package dev.ferry.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.IntFunction;

/** The request bodies the workloads send. Pure. */
final class Bodies {
  /** The ~100-byte message body of every workload. */
  static final String MESSAGE =
      pad(
          "{\"event\":\"order.created\",\"orderId\":12345,\"customer\":\"c-0042\","
              + "\"total\":99.95,\"currency\":\"EUR\"}",
          100);

  /**
   * A destination nobody listens on, for messages delayed past the end of the run (they are never
   * delivered).
   */
  static final String NOWHERE = "http://127.0.0.1:9/never";

  private Bodies() {}

  static String pad(String text, int length) {
    return text + " ".repeat(Math.max(0, length - text.length()));
  }

  /**
   * A {@code /v2/batch} body of {@code entries} entries of {@link #MESSAGE} to {@code destination}.
   */
  static Buffer batch(String destination, int entries, IntFunction<JsonObject> headersOf) {
    JsonArray array = new JsonArray();
    for (int i = 0; i < entries; i++) {
      JsonObject entry = new JsonObject().put("destination", destination).put("body", MESSAGE);
      JsonObject headers = headersOf.apply(i);
      if (headers != null && !headers.isEmpty()) entry.put("headers", headers);
      array.add(entry);
    }
    return array.toBuffer();
  }
}
