package dev.ferry.delivery.callback;

import dev.ferry.model.AttemptResult;
import dev.ferry.model.Message;
import dev.ferry.store.MessageIds;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes the callback messages of an attempt: an {@code Upstash-Callback} message after every
 * attempt and an {@code Upstash-Failure-Callback} message (with the DLQ id) when the message failed
 * for good. They are ordinary messages (signed with their own URL as {@code sub}, retried, queued
 * nowhere), stored through {@link Republish} <em>before</em> the source's outcome is recorded, so a
 * crash in between repeats the attempt and its callback (at-least-once) but never loses it.
 * Thread-safe; shared by every delivery partition.
 */
public final class Callbacks {
  private static final Republish UNCONNECTED =
      messages -> Future.failedFuture("callbacks are not wired");

  private final CallbackTracker tracker = new CallbackTracker();
  private final CallbackMessages messages;
  private volatile Republish republish = UNCONNECTED;

  /** Stores nothing until {@link #storeThrough} connects it to ingest; ids as minted. */
  public Callbacks(Clock clock) {
    this(clock, MessageIds.AS_MINTED);
  }

  /**
   * @param ids how the store wants new message ids ({@code Stores.messageIds()})
   */
  public Callbacks(Clock clock, MessageIds ids) {
    this.messages = new CallbackMessages(clock, ids);
  }

  /**
   * Connects callbacks to ingest, once, before delivery is deployed: ingest nudges delivery and
   * delivery stores its callbacks through ingest, so this is the one edge of that cycle bound after
   * construction.
   */
  public void storeThrough(Republish republish) {
    if (this.republish != UNCONNECTED)
      throw new IllegalStateException("callbacks are already connected to ingest");
    this.republish = java.util.Objects.requireNonNull(republish);
  }

  /**
   * Stores the callbacks of one attempt of {@code m}, if it has any.
   *
   * @param dlqId set when the attempt was the last (the message goes to the DLQ): the failure
   *     callback fires
   */
  public Future<Void> after(Message m, AttemptResult result, String dlqId) {
    if (m.callback() == null && (dlqId == null || m.failureCallback() == null))
      return Future.succeededFuture();
    List<Message> produced = new ArrayList<>(2);
    if (m.callback() != null)
      produced.add(messages.of(m, m.callback(), CallbackBody.of(m, result, null)));
    if (dlqId != null && m.failureCallback() != null) {
      produced.add(messages.failure(m, result, dlqId));
    }
    List<String> ids = produced.stream().map(Message::id).toList();
    if (m.queued()) tracker.track(m.id(), ids);
    return republish
        .publish(produced)
        .onFailure(
            e -> {
              if (m.queued()) tracker.untrack(ids);
            });
  }

  /** A message reached a terminal state (delivered or failed). */
  public void finished(String messageId) {
    tracker.finished(messageId);
  }

  /** Runs {@code then} once the callbacks made so far for {@code source} are finished. */
  public void whenSettled(String source, Runnable then) {
    tracker.whenSettled(source, then);
  }

  CallbackTracker tracker() {
    return tracker;
  }
}
