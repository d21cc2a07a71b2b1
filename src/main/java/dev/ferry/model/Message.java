package dev.ferry.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One stored message: what to deliver, where, how, and how far along it is. Immutable; a state
 * change is a new record written back to the store (see {@link #retriedAt}). Created by ingest,
 * read and advanced by delivery.
 *
 * @param id {@code msg_...}; sorts by creation order (see {@code ingest.Ids}), which is what keeps
 *     queues FIFO in the store; a queued message with a delay sorts at its due time instead
 * @param tenant owning tenant's name; nothing of one tenant is visible to another
 * @param url the exact URL called (and the JWT {@code sub}); for URL groups the endpoint URL
 * @param topicName URL-group name when fanned out from a group, else null
 * @param endpointName the group endpoint's name, when it has one, else null
 * @param queueName queue the message was enqueued into, else null (unqueued messages run in
 *     parallel)
 * @param method HTTP method toward the destination
 * @param headers headers sent to the destination: forwarded headers with the prefix stripped plus
 *     Content-Type, canonical names, values in order
 * @param body body bytes, passed through untouched (never null; may be empty)
 * @param maxRetries retries after the first attempt (attempts = 1 + maxRetries)
 * @param retryDelayExpression {@code Upstash-Retry-Delay} expression, or null for the default
 *     backoff
 * @param timeoutMillis per-attempt timeout in ms; 0 means the configured default
 * @param notBefore first delivery not before this Unix ms (0 when neither delay nor not-before was
 *     given)
 * @param createdAt Unix ms when accepted
 * @param callerIp publisher's IP address
 * @param labels labels from {@code Upstash-Label}, possibly empty
 * @param retried failed attempts so far; the next attempt is sent with {@code Upstash-Retried:
 *     retried}
 * @param dueAt Unix ms of the next attempt
 * @param scheduleId id of the schedule whose tick produced the message, else null (sent to the
 *     destination as {@code Upstash-Schedule-Id})
 * @param callback {@code Upstash-Callback} and its configuration: a message sent after every
 *     attempt, or null
 * @param failureCallback {@code Upstash-Failure-Callback} and its configuration: a message sent
 *     once when the message fails for good, or null
 * @param flowControl the flow-control key and limits, or null
 * @param redactFields {@code Upstash-Redact-Fields}, normalised ({@code body}, {@code header},
 *     {@code header[Canonical-Name]}, comma separated), or null: what API output hides
 */
public record Message(
    String id,
    String tenant,
    String url,
    String topicName,
    String endpointName,
    String queueName,
    String method,
    Map<String, List<String>> headers,
    byte[] body,
    int maxRetries,
    String retryDelayExpression,
    long timeoutMillis,
    long notBefore,
    long createdAt,
    String callerIp,
    List<String> labels,
    int retried,
    long dueAt,
    String scheduleId,
    CallbackConfig callback,
    CallbackConfig failureCallback,
    FlowControl flowControl,
    String redactFields) {

  public Message {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(method, "method");
    headers = headers == null ? Map.of() : headers;
    body = body == null ? new byte[0] : body;
    labels = labels == null ? List.of() : List.copyOf(labels);
  }

  /**
   * True when the message belongs to a FIFO queue (and is dispatched by that queue, not by the due
   * index).
   */
  public boolean queued() {
    return queueName != null;
  }

  /**
   * The same message after a failed attempt: one more retry used, next attempt at {@code
   * nextDueAt}.
   */
  public Message retriedAt(long nextDueAt) {
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
        retried + 1,
        nextDueAt,
        scheduleId,
        callback,
        failureCallback,
        flowControl,
        redactFields);
  }

  /** The same message sending {@code body} with {@code headers} (what one attempt sends). */
  public Message withHeadersAndBody(Map<String, List<String>> headers, byte[] body) {
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
}
