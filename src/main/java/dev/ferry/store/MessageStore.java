package dev.ferry.store;

import dev.ferry.model.AttemptResult;
import dev.ferry.model.DlqEntry;
import dev.ferry.model.DueEntry;
import dev.ferry.model.Message;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * Durable home of pending messages: the record of every message not yet DELIVERED, FAILED or
 * CANCELED, of when each unqueued one is due (the due index) and of each queue's FIFO order. Every
 * method is non-blocking and safe to call from any thread; a caller on a Vert.x context hears back
 * on that same context (so its continuation never runs on a store thread), a caller without one on
 * a store thread.
 *
 * <h2>Who changes a message, and what they assume</h2>
 *
 * Each write below is one atomic step: its check (is the message still pending?) and its change
 * cannot interleave with another write of the same message. The longer account, and what a store
 * shared by several processes must add, is {@code docs/store-contract.md}.
 *
 * <ul>
 *   <li><b>Into the store</b> (CREATED): only ingest ({@link #append}, {@link #appendDeduplicated})
 *       and the cron ticks ({@link ScheduleStore#recordTick}). A message's id, tenant, queue and
 *       body never change afterwards.
 *   <li><b>Due</b>: nothing is written. The scheduler holds only (dueAt, id) entries of unqueued
 *       messages, rebuilt from {@link #scanDue} at start and as its horizon moves; entries may be
 *       stale or duplicated, so it re-reads the messages ({@link #findAll}) and hands on only those
 *       still pending whose stored {@code dueAt} has come. A queued message is read by its queue's
 *       dispatcher through {@link #queueSlice}, in FIFO order.
 *   <li><b>After an attempt</b> (DELIVERED, RETRY, FAILED): only delivery, which holds the one
 *       in-flight copy of the message. Per attempt, its owner calls at most one of {@link
 *       #markDelivered} (or {@link #markAllDelivered}), {@link #reschedule} or {@link #moveToDlq},
 *       once the attempt has ended, with the message as it read it; none when the API cancelled it
 *       meanwhile. Each of them leaves a message that is no longer pending (cancelled or purged
 *       meanwhile) alone: none may bring it back.
 *   <li><b>Cancelled</b> (CANCELED), or purged with its queue: only the API ({@link #cancel},
 *       {@link #purgeQueue}), at any time, also while an attempt is in flight; that attempt's
 *       outcome then changes nothing (above), and the API tells delivery through {@code
 *       Cancellations} so that no further attempt starts from a copy it holds in memory.
 * </ul>
 *
 * Delivery starts at most one attempt of a message at a time, because one process owns every
 * partition and every queue. A backend shared by several processes must keep that true itself: a
 * message (a queue, a due-index range) is claimed by one process before it is attempted, and a
 * state change is refused from a process that no longer owns the message (fencing), so that a
 * paused or partitioned owner cannot move a message another process now delivers. The embedded
 * store needs neither: it has one process.
 */
public interface MessageStore {

  /**
   * Stores the messages atomically (all or none): each message, plus its due-index row ({@code
   * dueAt}, id) when unqueued, or its position in its queue when queued. Completes only when the
   * write is in the synced WAL.
   */
  Future<Void> append(List<Message> messages);

  /**
   * {@link #append} with deduplication. {@code dedupKeys} is positional (a null key: the message is
   * not guarded). A message whose key its tenant still holds (a record expiring after {@code
   * nowMillis}) is not stored, and its result is the id of the message that holds the key; every
   * other message is stored, its key (if any) held for it until {@code expiresAt}, in the same
   * atomic synced write. Deciding and recording are atomic with respect to every other append: of
   * two concurrent appends with one key, exactly one stores its message. Records survive restarts.
   *
   * @return per message: null when it was stored, else the id of the original message
   */
  Future<List<String>> appendDeduplicated(
      List<Message> messages, List<String> dedupKeys, long nowMillis, long expiresAt);

  /**
   * Forgets at most {@code limit} dedup records that expired at or before {@code nowMillis}
   * (expired records are already ignored; this only reclaims their space). Completes with how many
   * index rows it processed, so a caller repeats while it gets {@code limit}.
   */
  Future<Integer> purgeExpiredDedup(long nowMillis, int limit);

  /** The pending message with this id if it belongs to {@code tenant}. */
  Future<Optional<Message>> find(String tenant, String messageId);

  /**
   * The pending messages with these ids, in the given order; ids that are no longer pending are
   * left out.
   */
  Future<List<Message>> findAll(List<String> messageIds);

  /**
   * Due-index rows of unqueued messages strictly after the cursor ({@code afterDueAt}, {@code
   * afterId}) and with {@code dueAt <= untilDueAt}, ascending by (dueAt, id), at most {@code
   * limit}. Pass {@code afterId = ""} to start at {@code afterDueAt} inclusive of every id. A
   * backend shared by several processes returns only the rows of messages this process owns (see
   * {@link Stores#ownership}): the scheduler is its one reader.
   */
  Future<List<DueEntry>> scanDue(long afterDueAt, String afterId, long untilDueAt, int limit);

  /**
   * Pending messages of one queue in FIFO order, starting after message id {@code afterId} (null =
   * the head).
   */
  Future<List<Message>> queueSlice(String tenant, String queue, String afterId, int limit);

  /**
   * How many messages of {@code tenant} are pending (stored, not yet delivered, failed or
   * cancelled), without scanning them: every write that adds messages to the pending set or removes
   * some changes the tenant's count in the same atomic write, and a write that changes nothing (a
   * duplicate, a transition of a message already gone) leaves it alone. So it is exact after every
   * completed write, survives restarts and crashes with the messages themselves, and on a store
   * shared by several processes counts every process's writes. A store written by a Ferry that kept
   * no counts gets them once, by counting its pending messages when it is opened.
   */
  Future<Long> pendingCount(String tenant);

  /** How many messages are pending in the queue (its exact lag). */
  Future<Long> queueLength(String tenant, String queue);

  /**
   * Removes every pending message of the queue (the queue itself is deleted); completes with how
   * many.
   */
  Future<Long> purgeQueue(String tenant, String queue);

  /** The attempt succeeded: the message leaves the store (with its due row or queue position). */
  Future<Void> markDelivered(Message message, AttemptResult attempt);

  /**
   * {@link #markDelivered} for many messages in one store operation (delivery batches its
   * successes).
   */
  Future<Void> markAllDelivered(List<Message> delivered);

  /**
   * The attempt failed and will be retried: replaces the stored message with {@code updated} (more
   * retries used, new {@code dueAt}) and moves its due row from {@code previous.dueAt()} to {@code
   * updated.dueAt()}.
   */
  Future<Void> reschedule(Message previous, Message updated, AttemptResult attempt);

  /**
   * The message failed for good: it leaves the pending set and {@code entry} is stored in the DLQ,
   * atomically.
   */
  Future<Void> moveToDlq(Message message, DlqEntry entry);

  /**
   * Cancels pending messages of {@code tenant}: each of {@code messageIds} that is still pending
   * (and the tenant's) leaves the store with its due row or queue position, in one atomic synced
   * write. Completes with the messages it removed, in the given order; ids that are not pending (or
   * another tenant's) are left out.
   */
  Future<List<Message>> cancel(String tenant, List<String> messageIds);

  /**
   * Pending messages of every tenant in message-id order (creation order), strictly after {@code
   * afterId} (null = from the first), at most {@code limit}. Callers filter by tenant.
   */
  Future<List<Message>> scanPending(String afterId, int limit);
}
