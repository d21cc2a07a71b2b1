package dev.ferry.testing;

import dev.ferry.model.CallbackConfig;
import dev.ferry.model.FlowControl;
import dev.ferry.model.Message;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A {@link Message} for a test, by field name: the id, tenant and URL, then only the fields the
 * test is about. Everything else is unset as in a message published without headers: POST, no body,
 * no queue, no retries, due at 0, no callbacks, flow control or redactions.
 *
 * <pre>{@code
 * MessageBuilder.message("msg_1", "acme", "http://x/").queueName("q").dueAt(T0).build()
 * }</pre>
 */
public final class MessageBuilder {
  private String id;
  private String tenant;
  private String url;
  private String topicName;
  private String endpointName;
  private String queueName;
  private String method = "POST";
  private Map<String, List<String>> headers;
  private byte[] body;
  private int maxRetries;
  private String retryDelayExpression;
  private long timeoutMillis;
  private long notBefore;
  private long createdAt;
  private String callerIp;
  private List<String> labels;
  private int retried;
  private long dueAt;
  private String scheduleId;
  private CallbackConfig callback;
  private CallbackConfig failureCallback;
  private FlowControl flowControl;
  private String redactFields;

  private MessageBuilder() {}

  public static MessageBuilder message(String id, String tenant, String url) {
    MessageBuilder b = new MessageBuilder();
    b.id = id;
    b.tenant = tenant;
    b.url = url;
    return b;
  }

  /** Every field as in {@code m}, to change a few. */
  public static MessageBuilder from(Message m) {
    return message(m.id(), m.tenant(), m.url())
        .topicName(m.topicName())
        .endpointName(m.endpointName())
        .queueName(m.queueName())
        .method(m.method())
        .headers(m.headers())
        .body(m.body())
        .maxRetries(m.maxRetries())
        .retryDelayExpression(m.retryDelayExpression())
        .timeoutMillis(m.timeoutMillis())
        .notBefore(m.notBefore())
        .createdAt(m.createdAt())
        .callerIp(m.callerIp())
        .labels(m.labels())
        .retried(m.retried())
        .dueAt(m.dueAt())
        .scheduleId(m.scheduleId())
        .callback(m.callback())
        .failureCallback(m.failureCallback())
        .flowControl(m.flowControl())
        .redactFields(m.redactFields());
  }

  public Message build() {
    return new Message(
        id,
        tenant,
        url,
        topicName,
        endpointName,
        queueName,
        method,
        headers,
        body,
        maxRetries,
        retryDelayExpression,
        timeoutMillis,
        notBefore,
        createdAt,
        callerIp,
        labels,
        retried,
        dueAt,
        scheduleId,
        callback,
        failureCallback,
        flowControl,
        redactFields);
  }

  public MessageBuilder id(String id) {
    this.id = id;
    return this;
  }

  public MessageBuilder url(String url) {
    this.url = url;
    return this;
  }

  public MessageBuilder topicName(String topicName) {
    this.topicName = topicName;
    return this;
  }

  public MessageBuilder endpointName(String endpointName) {
    this.endpointName = endpointName;
    return this;
  }

  public MessageBuilder queueName(String queueName) {
    this.queueName = queueName;
    return this;
  }

  public MessageBuilder method(String method) {
    this.method = method;
    return this;
  }

  public MessageBuilder headers(Map<String, List<String>> headers) {
    this.headers = headers;
    return this;
  }

  public MessageBuilder body(byte[] body) {
    this.body = body;
    return this;
  }

  /** The body as UTF-8. */
  public MessageBuilder body(String body) {
    return body(body.getBytes(StandardCharsets.UTF_8));
  }

  public MessageBuilder maxRetries(int maxRetries) {
    this.maxRetries = maxRetries;
    return this;
  }

  public MessageBuilder retryDelayExpression(String retryDelayExpression) {
    this.retryDelayExpression = retryDelayExpression;
    return this;
  }

  public MessageBuilder timeoutMillis(long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
    return this;
  }

  public MessageBuilder notBefore(long notBefore) {
    this.notBefore = notBefore;
    return this;
  }

  public MessageBuilder createdAt(long createdAt) {
    this.createdAt = createdAt;
    return this;
  }

  public MessageBuilder callerIp(String callerIp) {
    this.callerIp = callerIp;
    return this;
  }

  public MessageBuilder labels(List<String> labels) {
    this.labels = labels;
    return this;
  }

  public MessageBuilder retried(int retried) {
    this.retried = retried;
    return this;
  }

  public MessageBuilder dueAt(long dueAt) {
    this.dueAt = dueAt;
    return this;
  }

  public MessageBuilder scheduleId(String scheduleId) {
    this.scheduleId = scheduleId;
    return this;
  }

  public MessageBuilder callback(CallbackConfig callback) {
    this.callback = callback;
    return this;
  }

  public MessageBuilder failureCallback(CallbackConfig failureCallback) {
    this.failureCallback = failureCallback;
    return this;
  }

  public MessageBuilder flowControl(FlowControl flowControl) {
    this.flowControl = flowControl;
    return this;
  }

  public MessageBuilder redactFields(String redactFields) {
    this.redactFields = redactFields;
    return this;
  }
}
