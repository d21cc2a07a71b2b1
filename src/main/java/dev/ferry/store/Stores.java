package dev.ferry.store;

import io.vertx.core.Future;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Every store of one backend, opened together and closed together. Opened by {@link
 * StoreBackends#open} (with the message log), passed down from {@code Ferry}.
 */
public interface Stores {
  MessageStore messages();

  DlqStore dlq();

  QueueStore queues();

  UrlGroupStore urlGroups();

  SigningKeyStore signingKeys();

  ScheduleStore schedules();

  FlowControlStore flowControl();

  /** How new message ids must look for this backend (ingest and callbacks mint through it). */
  default MessageIds messageIds() {
    return MessageIds.AS_MINTED;
  }

  /**
   * Which pending work this process may deliver: everything, unless the backend is shared by
   * several processes.
   */
  default PartitionOwnership ownership() {
    return PartitionOwnership.everything();
  }

  /** How this process tells the owners of work about changes made here (none by default). */
  default OwnerNudges nudges() {
    return OwnerNudges.NONE;
  }

  /** How a key rotation reaches the other processes that sign (nobody else by default). */
  default KeyRotations keyRotations() {
    return KeyRotations.NONE;
  }

  /** How flow-control commands reach the process that owns the key (nobody else by default). */
  default FlowControlPeers flowControlPeers() {
    return FlowControlPeers.NONE;
  }

  /**
   * Workflow runs and their steps. A default so a backend without them still builds: every call of
   * that one fails.
   */
  default WorkflowRunStore workflowRuns() {
    return NoWorkflowRuns.INSTANCE;
  }

  /**
   * A tiny durable write (synced like a publish) that proves the store accepts writes right now;
   * fails when it does not (closed, disk full, I/O errors). Readiness asks this; it shares a group
   * commit with whatever else is written.
   */
  Future<Void> probeWrite();

  /**
   * Why the store cannot work again unless the process restarts (liveness fails on it), or empty. A
   * store that only lacks space, or that is still recovering from a failed write, is not
   * unrecoverable: readiness covers those.
   */
  default Optional<String> unrecoverable() {
    return Optional.empty();
  }

  /**
   * Writes waiting for the backend's writer right now (the {@code ferry_store_pending_writes}
   * gauge; API writes are shed beyond {@code overload.maxPendingWrites}), or empty when the backend
   * queues no writes of its own.
   */
  default OptionalInt pendingWrites() {
    return OptionalInt.empty();
  }

  /** Flushes and releases everything; pending writes complete first. */
  Future<Void> close();
}
