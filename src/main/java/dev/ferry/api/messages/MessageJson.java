package dev.ferry.api.messages;

import dev.ferry.lifecycle.MessageFields;
import dev.ferry.model.AttemptResult;
import dev.ferry.model.DlqEntry;
import dev.ferry.model.LogEntry;
import dev.ferry.model.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * QStash's JSON shapes of a message, a DLQ message and a log entry
 * (docs/compatibility.md#json-shapes), Go style: absent and zero optional fields are omitted,
 * header maps are arrays under canonical names, times are Unix ms. Redacted fields (see {@link
 * Redactions}) are replaced by {@code REDACTED:<sha256 hex>} here, in every output. Pure.
 */
final class MessageJson {
  private MessageJson() {}

  /** 11.1: the body as {@code body} when it is UTF-8 text, else {@code bodyBase64}. */
  static JsonObject message(Message m) {
    JsonObject json = common(m);
    Redactions r = Redactions.of(m);
    if (r.body()) {
      json.put("body", Redactions.redacted(m.body()));
    } else if (m.body().length > 0) {
      String text = utf8(m.body());
      if (text != null) json.put("body", text);
      else json.put("bodyBase64", base64(m.body()));
    }
    return json;
  }

  /**
   * 11.2: the message plus the DLQ id and the last response (UTF-8 text or {@code
   * responseBodyBase64}).
   */
  static JsonObject dlq(DlqEntry e) {
    JsonObject json = message(e.message()).put("dlqId", e.dlqId());
    AttemptResult last = e.last();
    json.put("responseStatus", last.status());
    if (!last.headers().isEmpty()) json.put("responseHeader", headers(last.headers()));
    if (last.body().length > 0) {
      String text = utf8(last.body());
      if (text != null) json.put("responseBody", text);
      else json.put("responseBodyBase64", base64(last.body()));
    }
    if (last.error() != null) json.put("error", last.error());
    return json;
  }

  /**
   * 11.3: {@code body} and {@code responseBody} are base64 here, as QStash's log entries have them.
   */
  static JsonObject log(LogEntry e) {
    JsonObject json =
        new JsonObject()
            .put("time", e.time())
            .put("messageId", e.messageId())
            .put("state", e.state().name());
    if (e.error() != null) json.put("error", e.error());
    if (e.nextDeliveryTime() > 0) json.put("nextDeliveryTime", e.nextDeliveryTime());
    Message m = e.message();
    if (m != null) {
      json.mergeIn(common(m));
      json.remove("createdAt");
      json.remove("notBefore");
      json.remove("maxRetries");
      if (m.maxRetries() > 0) json.put("maxRetries", m.maxRetries());
      if (json.containsKey("retryDelayExpression"))
        json.put("retryDelayExpr", json.getString("retryDelayExpression"));
      if (m.timeoutMillis() > 0) json.put("timeout", m.timeoutMillis());
      if (json.containsKey("callbackHeader"))
        json.put("callbackHeaders", json.getValue("callbackHeader"));
      if (json.containsKey("failureCallbackHeader")) {
        json.put("failureCallbackHeaders", json.getValue("failureCallbackHeader"));
      }
      Redactions r = Redactions.of(m);
      if (r.body()) {
        json.put("body", Redactions.redacted(m.body()));
      } else if (m.body().length > 0) {
        json.put("body", base64(m.body()));
      }
    }
    AttemptResult response = e.response();
    if (response != null) {
      if (response.status() > 0) json.put("responseStatus", response.status());
      if (!response.headers().isEmpty()) {
        JsonObject h = headers(response.headers());
        json.put("responseHeaders", h).put("responseHeader", h.copy());
      }
      if (response.body().length > 0) json.put("responseBody", base64(response.body()));
    }
    return json;
  }

  private static JsonObject common(Message m) {
    JsonObject json = new JsonObject().put("messageId", m.id()).put("url", m.url());
    if (m.topicName() != null) json.put("topicName", m.topicName());
    if (m.endpointName() != null) json.put("endpointName", m.endpointName());
    if (m.queueName() != null) json.put("queueName", m.queueName());
    String scheduleId = MessageFields.scheduleId(m);
    if (scheduleId != null) json.put("scheduleId", scheduleId);
    json.put("method", m.method());
    Redactions r = Redactions.of(m);
    if (!m.headers().isEmpty()) json.put("header", r.headers(headers(m.headers()), m.headers()));
    json.put("maxRetries", m.maxRetries());
    if (m.retryDelayExpression() != null)
      json.put("retryDelayExpression", m.retryDelayExpression());
    // always sent, as QStash does (SDKs read it unconditionally): when the message became due, its
    // creation time
    // when it had no delay
    json.put("notBefore", m.notBefore() > 0 ? m.notBefore() : m.createdAt());
    json.put("createdAt", m.createdAt());
    if (m.callerIp() != null) json.put("callerIP", m.callerIp());
    if (m.flowControl() != null) {
      json.put("flowControlKey", m.flowControl().key());
      if (m.flowControl().parallelism() > 0) json.put("parallelism", m.flowControl().parallelism());
      if (m.flowControl().rate() > 0) json.put("rate", m.flowControl().rate());
      json.put(
          "period",
          m.flowControl()
              .periodSeconds()); // the default 1 s too, as QStash reports it on every key
    }
    if (m.callback() != null) {
      json.put("callback", m.callback().url());
      if (!m.callback().headers().isEmpty())
        json.put("callbackHeader", headers(m.callback().headers()));
    }
    if (m.failureCallback() != null) {
      json.put("failureCallback", m.failureCallback().url());
      if (!m.failureCallback().headers().isEmpty()) {
        json.put("failureCallbackHeader", headers(m.failureCallback().headers()));
      }
    }
    if (!m.labels().isEmpty()) {
      json.put("label", m.labels().get(0)).put("labels", new JsonArray(List.copyOf(m.labels())));
    }
    return json;
  }

  static JsonObject headers(Map<String, List<String>> headers) {
    JsonObject json = new JsonObject();
    headers.forEach((name, values) -> json.put(name, new JsonArray(List.copyOf(values))));
    return json;
  }

  static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** The bytes as a string when they are valid UTF-8, else null. */
  static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
