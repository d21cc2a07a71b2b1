package dev.ferry.delivery.callback;

import dev.ferry.model.AttemptResult;
import dev.ferry.model.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The JSON body of a callback or failure-callback message, field for field as QStash sends it
 * (docs/compatibility.md#callbacks): the attempt's response (status, headers as arrays, base64
 * body) and the source message (id, URL, method, headers, base64 body, times, retry counts). Pure;
 * built on the delivery event loop.
 */
final class CallbackBody {
  private CallbackBody() {}

  /**
   * @param source the message as it was for the attempt ({@code retried} = retries done before it)
   * @param result what the attempt produced
   * @param dlqId the DLQ entry's id for a failure callback, else null
   */
  static byte[] of(Message source, AttemptResult result, String dlqId) {
    JsonObject json =
        new JsonObject()
            .put("status", result.status())
            .put("header", headers(result.headers()))
            .put("body", base64(result.body()))
            .put("retried", source.retried())
            .put("maxRetries", source.maxRetries());
    if (dlqId != null) json.put("dlqId", dlqId);
    if (result.error() != null) json.put("error", result.error());
    json.put("sourceMessageId", source.id());
    if (source.topicName() != null) json.put("topicName", source.topicName());
    if (source.endpointName() != null) json.put("endpointName", source.endpointName());
    if (source.queueName() != null) json.put("queueName", source.queueName());
    json.put("url", source.url())
        .put("method", source.method())
        .put("sourceHeader", headers(source.headers()))
        .put("sourceBody", base64(source.body()))
        .put("notBefore", source.notBefore() > 0 ? source.notBefore() : source.createdAt())
        .put("createdAt", source.createdAt());
    if (source.scheduleId() != null) json.put("scheduleId", source.scheduleId());
    if (source.callerIp() != null) json.put("callerIP", source.callerIp());
    return json.toBuffer().getBytes();
  }

  private static JsonObject headers(Map<String, List<String>> headers) {
    JsonObject out = new JsonObject();
    headers.forEach((name, values) -> out.put(name, new JsonArray(List.copyOf(values))));
    return out;
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
