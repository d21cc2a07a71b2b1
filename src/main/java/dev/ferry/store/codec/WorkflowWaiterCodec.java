package dev.ferry.store.codec;

import dev.ferry.model.WorkflowWaiter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Keys and values of waiters in the embedded {@code workflow-runs} column family (the Redis store
 * keeps the same values): {@code W tenant 0 eventId 0 runId 0 <4-byte stepId>}, so one prefix scan
 * finds an event's waiters. Values are JSON.
 */
public final class WorkflowWaiterCodec {
  public static final byte[] ALL = utf8("W");

  private WorkflowWaiterCodec() {}

  /** Every waiter of {@code tenant}. */
  public static byte[] tenantPrefix(String tenant) {
    return utf8("W" + tenant + '\0');
  }

  public static byte[] eventPrefix(String tenant, String eventId) {
    return utf8("W" + tenant + '\0' + eventId + '\0');
  }

  public static byte[] key(WorkflowWaiter w) {
    byte[] prefix = utf8("W" + w.tenant() + '\0' + w.eventId() + '\0' + w.runId() + '\0');
    byte[] key = new byte[prefix.length + 4];
    System.arraycopy(prefix, 0, key, 0, prefix.length);
    for (int i = 0; i < 4; i++) key[prefix.length + i] = (byte) (w.stepId() >>> (24 - 8 * i));
    return key;
  }

  public static byte[] encode(WorkflowWaiter w) {
    return new JsonObject()
        .put("tenant", w.tenant())
        .put("eventId", w.eventId())
        .put("runId", w.runId())
        .put("stepId", w.stepId())
        .put("url", w.url())
        .put("headers", HeaderJson.encode(w.headers()))
        .put("timeoutUrl", w.timeoutUrl())
        .put("timeoutHeaders", HeaderJson.encode(w.timeoutHeaders()))
        .put("step", w.step())
        .put("deadline", w.deadline())
        .toBuffer()
        .getBytes();
  }

  public static WorkflowWaiter decode(byte[] bytes) {
    JsonObject json = Buffer.buffer(bytes).toJsonObject();
    return new WorkflowWaiter(
        json.getString("tenant"),
        json.getString("eventId"),
        json.getString("runId"),
        json.getInteger("stepId", 0),
        json.getString("url"),
        HeaderJson.decode(json.getJsonObject("headers")),
        json.getString("timeoutUrl"),
        HeaderJson.decode(json.getJsonObject("timeoutHeaders")),
        json.getString("step"),
        json.getLong("deadline", 0L));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
