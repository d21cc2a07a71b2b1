package dev.ferry.workflow;

import dev.ferry.model.AttemptResult;
import dev.ferry.model.DlqEntry;
import dev.ferry.model.DueEntry;
import dev.ferry.model.Message;
import dev.ferry.store.MessageStore;
import dev.ferry.store.WorkflowRunStore;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The message store as delivery sees it: a message of a workflow run that fails for good (a step, a
 * call's result, a wait's outcome; not the run's failure callback) fails its run in the same write
 * that moves it to the DLQ, whether or not the run has a failure callback. Everything else is the
 * store's own. Thread-safe.
 */
public final class RunFailingMessages implements MessageStore {
  private final MessageStore messages;
  private final WorkflowRunStore runs;
  private final Clock clock;
  private volatile java.util.function.BiConsumer<String, String> runFailed = (tenant, runId) -> {};

  public RunFailingMessages(MessageStore messages, WorkflowRunStore runs, Clock clock) {
    this.messages = messages;
    this.runs = runs;
    this.clock = clock;
  }

  @Override
  public Future<Void> moveToDlq(Message message, DlqEntry entry) {
    String runId = WorkflowHeaders.single(message.headers(), WorkflowHeaders.DELIVERED_RUN_ID);
    boolean failureCallback =
        "true"
            .equalsIgnoreCase(
                WorkflowHeaders.single(message.headers(), WorkflowHeaders.DELIVERED_IS_FAILURE));
    if (runId == null || failureCallback) return messages.moveToDlq(message, entry);
    return runs.moveToDlq(runId, message, entry, clock.millis())
        .onSuccess(v -> runFailed.accept(message.tenant(), runId));
  }

  /** Hears of each run that may have failed with its message (bound once, at wiring). */
  public void onRunFailed(java.util.function.BiConsumer<String, String> listener) {
    runFailed = listener;
  }

  @Override
  public Future<Void> append(List<Message> list) {
    return messages.append(list);
  }

  @Override
  public Future<List<String>> appendDeduplicated(
      List<Message> list, List<String> dedupKeys, long nowMillis, long expiresAt) {
    return messages.appendDeduplicated(list, dedupKeys, nowMillis, expiresAt);
  }

  @Override
  public Future<Integer> purgeExpiredDedup(long nowMillis, int limit) {
    return messages.purgeExpiredDedup(nowMillis, limit);
  }

  @Override
  public Future<Optional<Message>> find(String tenant, String messageId) {
    return messages.find(tenant, messageId);
  }

  @Override
  public Future<List<Message>> findAll(List<String> messageIds) {
    return messages.findAll(messageIds);
  }

  @Override
  public Future<List<DueEntry>> scanDue(
      long afterDueAt, String afterId, long untilDueAt, int limit) {
    return messages.scanDue(afterDueAt, afterId, untilDueAt, limit);
  }

  @Override
  public Future<List<Message>> queueSlice(String tenant, String queue, String afterId, int limit) {
    return messages.queueSlice(tenant, queue, afterId, limit);
  }

  @Override
  public Future<Long> queueLength(String tenant, String queue) {
    return messages.queueLength(tenant, queue);
  }

  @Override
  public Future<Long> purgeQueue(String tenant, String queue) {
    return messages.purgeQueue(tenant, queue);
  }

  @Override
  public Future<Void> markDelivered(Message message, AttemptResult attempt) {
    return messages.markDelivered(message, attempt);
  }

  @Override
  public Future<Void> markAllDelivered(List<Message> delivered) {
    return messages.markAllDelivered(delivered);
  }

  @Override
  public Future<Void> reschedule(Message previous, Message updated, AttemptResult attempt) {
    return messages.reschedule(previous, updated, attempt);
  }

  @Override
  public Future<List<Message>> cancel(String tenant, List<String> messageIds) {
    return messages.cancel(tenant, messageIds);
  }

  @Override
  public Future<List<Message>> scanPending(String afterId, int limit) {
    return messages.scanPending(afterId, limit);
  }
}
