package dev.ferry.ingest;

import dev.ferry.model.CallbackConfig;
import dev.ferry.model.FlowControl;
import java.util.List;
import java.util.Map;

/**
 * One parsed publish, enqueue or batch entry, before it has ids: what the API understood, in domain
 * types. Exactly one of {@code url} and {@code urlGroup} is set.
 *
 * @param tenant owning tenant
 * @param url destination URL, or null when publishing to a URL group
 * @param urlGroup URL-group name, or null
 * @param queueName queue to enqueue into, or null
 * @param method HTTP method toward the destination
 * @param headers headers for the destination (prefix stripped, canonical names, incl. Content-Type)
 * @param body body bytes
 * @param maxRetries retries after the first attempt
 * @param retryDelayExpression {@code Upstash-Retry-Delay} source, or null
 * @param timeoutMillis per-attempt timeout, 0 = default
 * @param notBefore Unix ms of the first attempt, 0 = now
 * @param labels labels
 * @param callerIp the publisher's address
 * @param deduplicationId dedup id of the publish (explicit, or derived from its content), or null;
 *     ingest derives one key per endpoint from it for URL groups
 * @param scheduleId the schedule whose tick this is, or null for a publish
 * @param callback callback configuration, or null
 * @param failureCallback failure-callback configuration, or null
 * @param flowControl flow-control key and limits, or null
 * @param redactFields normalised {@code Upstash-Redact-Fields}, or null
 */
public record PublishCommand(
    String tenant,
    String url,
    String urlGroup,
    String queueName,
    String method,
    Map<String, List<String>> headers,
    byte[] body,
    int maxRetries,
    String retryDelayExpression,
    long timeoutMillis,
    long notBefore,
    List<String> labels,
    String callerIp,
    String deduplicationId,
    String scheduleId,
    CallbackConfig callback,
    CallbackConfig failureCallback,
    FlowControl flowControl,
    String redactFields) {}
