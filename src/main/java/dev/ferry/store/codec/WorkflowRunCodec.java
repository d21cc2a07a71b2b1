package dev.ferry.store.codec;

import dev.ferry.model.CallbackConfig;
import dev.ferry.model.FailureCallbackInfo;
import dev.ferry.model.FlowControl;
import dev.ferry.model.WorkflowInvoker;
import dev.ferry.model.WorkflowRun;
import dev.ferry.model.WorkflowSettings;
import dev.ferry.model.WorkflowStep;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Keys and values of the embedded {@code workflow-runs} column family; the Redis store keeps the
 * same values. A run is {@code R tenant 0 runId}; its steps follow it as {@code S tenant 0 runId 0
 * <4-byte position>}, so one prefix scan reads them in order. Values are JSON (runs are few and
 * small next to messages; readable in a dump); callback and flow-control configurations reuse the
 * messages' binary form, base64-encoded. Unknown JSON fields are ignored and missing ones take
 * defaults, so fields can be added.
 */
public final class WorkflowRunCodec {
  private static final Base64.Encoder B64 = Base64.getEncoder();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private WorkflowRunCodec() {}

  /** The prefix of every run of every tenant. */
  public static final byte[] ALL_RUNS = utf8("R");

  public static byte[] runKey(String tenant, String runId) {
    return utf8("R" + tenant + '\0' + runId);
  }

  /** The prefix of every run whose invoker has not yet been told of its end. */
  public static final byte[] ALL_UNTOLD = utf8("I");

  /**
   * Present while run {@code runId} has ended and its invoker has not been told: written with the
   * run's end, removed with the step that tells the invoker.
   */
  public static byte[] untoldKey(String tenant, String runId) {
    return utf8("I" + tenant + '\0' + runId);
  }

  /** Tenant and run id of an {@link #untoldKey}. */
  public static String[] untold(byte[] key) {
    String s = new String(key, 1, key.length - 1, StandardCharsets.UTF_8);
    int zero = s.indexOf('\0');
    return new String[] {s.substring(0, zero), s.substring(zero + 1)};
  }

  /** Webhook calls kept for a run until it waits for them: {@code H tenant 0 runId 0 eventId}. */
  public static byte[] hookCallPrefix(String tenant, String runId) {
    return utf8("H" + tenant + '\0' + runId + '\0');
  }

  public static byte[] hookCallKey(String tenant, String runId, String eventId) {
    return utf8("H" + tenant + '\0' + runId + '\0' + eventId);
  }

  public static byte[] stepPrefix(String tenant, String runId) {
    return utf8("S" + tenant + '\0' + runId + '\0');
  }

  public static byte[] stepKey(String tenant, String runId, int position) {
    byte[] prefix = stepPrefix(tenant, runId);
    byte[] key = new byte[prefix.length + 4];
    System.arraycopy(prefix, 0, key, 0, prefix.length);
    for (int i = 0; i < 4; i++) key[prefix.length + i] = (byte) (position >>> (24 - 8 * i));
    return key;
  }

  public static byte[] encode(WorkflowRun r) {
    WorkflowSettings s = r.settings();
    JsonObject json =
        new JsonObject()
            .put("tenant", r.tenant())
            .put("runId", r.runId())
            .put("url", r.url())
            .put("createdAt", r.createdAt())
            .put("state", r.state().name())
            .put("stepCount", r.stepCount())
            .put("response", B64.encodeToString(r.response()))
            .put("endedAt", r.endedAt())
            .put("dlqId", r.dlqId())
            .put("maxRetries", s.maxRetries())
            .put("retryDelay", s.retryDelayExpression())
            .put("labels", new JsonArray(s.labels()))
            .put("headers", HeaderJson.encode(s.headers()));
    if (s.flowControl() != null) {
      json.put("flowControl", B64.encodeToString(CallbackRecords.encode(s.flowControl())));
    }
    if (s.failureCallback() != null) {
      json.put("failureCallback", B64.encodeToString(CallbackRecords.encode(s.failureCallback())));
    }
    if (r.failureCallback() != null)
      json.put("failureCallbackInfo", encodeFailureCallback(r.failureCallback()));
    WorkflowInvoker invoker = r.invoker();
    if (invoker != null) {
      json.put(
          "invoker",
          new JsonObject()
              .put("runId", invoker.runId())
              .put("url", invoker.url())
              .put("createdAt", invoker.createdAt())
              .put("headers", HeaderJson.encode(invoker.headers()))
              .put("step", invoker.step()));
    }
    return json.toBuffer().getBytes();
  }

  public static WorkflowRun decodeRun(byte[] bytes) {
    JsonObject json = Buffer.buffer(bytes).toJsonObject();
    String flow = json.getString("flowControl");
    String failure = json.getString("failureCallback");
    FlowControl flowControl = flow == null ? null : CallbackRecords.decodeFlowControl(b64(flow));
    CallbackConfig failureCallback =
        failure == null ? null : CallbackRecords.decodeCallback(b64(failure));
    WorkflowSettings settings =
        new WorkflowSettings(
            json.getInteger("maxRetries", 3),
            json.getString("retryDelay"),
            flowControl,
            failureCallback,
            HeaderJson.strings(json.getJsonArray("labels")),
            HeaderJson.decode(json.getJsonObject("headers")));
    return new WorkflowRun(
        json.getString("tenant"),
        json.getString("runId"),
        json.getString("url"),
        json.getLong("createdAt", 0L),
        WorkflowRun.State.valueOf(json.getString("state")),
        settings,
        json.getInteger("stepCount", 0),
        b64(json.getString("response", "")),
        json.getLong("endedAt", 0L),
        json.getString("dlqId"),
        invoker(json.getJsonObject("invoker")),
        decodeFailureCallback(json.getJsonObject("failureCallbackInfo")));
  }

  /** A failure callback's record as JSON (also the Redis run hash's {@code fcb} field). */
  public static JsonObject encodeFailureCallback(FailureCallbackInfo info) {
    return new JsonObject()
        .put("state", info.state().name())
        .put("status", info.status())
        .put("body", B64.encodeToString(info.body()))
        .put("headers", HeaderJson.encode(info.headers()));
  }

  /** {@link #encodeFailureCallback}'s inverse; null for null. */
  public static FailureCallbackInfo decodeFailureCallback(JsonObject json) {
    if (json == null) return null;
    return new FailureCallbackInfo(
        FailureCallbackInfo.State.valueOf(json.getString("state")),
        json.getInteger("status", 0),
        b64(json.getString("body", "")),
        HeaderJson.decode(json.getJsonObject("headers")));
  }

  private static WorkflowInvoker invoker(JsonObject json) {
    if (json == null) return null;
    return new WorkflowInvoker(
        json.getString("runId"),
        json.getString("url"),
        json.getLong("createdAt", 0L),
        HeaderJson.decode(json.getJsonObject("headers")),
        json.getString("step"));
  }

  public static byte[] encode(WorkflowStep step) {
    return new JsonObject()
        .put("messageId", step.messageId())
        .put("callType", step.callType())
        .put("body", B64.encodeToString(step.body()))
        .toBuffer()
        .getBytes();
  }

  public static WorkflowStep decodeStep(byte[] bytes) {
    JsonObject json = Buffer.buffer(bytes).toJsonObject();
    return new WorkflowStep(
        json.getString("messageId"), json.getString("callType"), b64(json.getString("body", "")));
  }

  private static byte[] b64(String s) {
    return B64D.decode(s);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
