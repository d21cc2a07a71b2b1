package dev.ferry.delivery.callback;

import dev.ferry.ingest.Ids;
import dev.ferry.model.AttemptResult;
import dev.ferry.model.CallbackConfig;
import dev.ferry.model.Message;
import dev.ferry.store.MessageIds;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds callback messages: ordinary messages to the callback's URL with its configuration, a JSON
 * body describing the source's attempt ({@link CallbackBody}), no callbacks of their own. Used by
 * {@link Callbacks} after attempts, and by the workflow DLQ to send a run's failure callback again.
 * Thread-safe.
 */
public final class CallbackMessages {
  private static final String CONTENT_TYPE = "Content-Type";

  private final Clock clock;
  private final MessageIds ids;

  /**
   * @param ids how the store wants new message ids ({@code Stores.messageIds()})
   */
  public CallbackMessages(Clock clock, MessageIds ids) {
    this.clock = clock;
    this.ids = Objects.requireNonNull(ids);
  }

  /**
   * The failure callback of {@code source}, which failed for good with {@code last} as entry {@code
   * dlqId}.
   */
  public Message failure(Message source, AttemptResult last, String dlqId) {
    return of(source, source.failureCallback(), CallbackBody.of(source, last, dlqId));
  }

  Message of(Message source, CallbackConfig c, byte[] body) {

    long now = clock.millis();
    long notBefore = c.delayMillis() > 0 ? now + c.delayMillis() : 0;
    Map<String, List<String>> headers = c.headers();
    if (!headers.containsKey(CONTENT_TYPE)) {
      headers = new LinkedHashMap<>(headers);
      headers.put(CONTENT_TYPE, List.of("application/json"));
    }
    String flowKey = c.flowControl() == null ? null : c.flowControl().key();
    // A queued source's callbacks are kept where its queue is (unless a flow-control key places
    // them), so that with several replicas the one whose queue slot waits for them delivers them.
    String near = flowKey == null ? source.queueName() : null;
    return new Message(
        ids.complete(
            Ids.newMessageIdDueAt(Math.max(now, notBefore), now),
            new MessageIds.Placement(source.tenant(), near, flowKey, null, null)),
        source.tenant(),
        c.url(),
        null,
        null,
        null,
        c.method(),
        headers,
        body,
        c.maxRetries() >= 0 ? c.maxRetries() : source.maxRetries(),
        c.retryDelayExpression(),
        c.timeoutMillis(),
        notBefore,
        now,
        source.callerIp(),
        List.of(),
        0,
        Math.max(now, notBefore),
        null,
        null, // a callback has no callbacks of its own
        null,
        c.flowControl(),
        null); // and no redactions
  }
}
