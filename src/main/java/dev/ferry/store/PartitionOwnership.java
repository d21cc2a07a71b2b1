package dev.ferry.store;

import io.vertx.core.Future;

/**
 * Which pending work this process may deliver. A backend that one process has to itself owns
 * everything ({@link #everything()}); a backend shared by several processes (Redis) splits the work
 * into partitions and leases each to one live process at a time, so that each due message, queue
 * and cron schedule is attempted by one process (see {@code docs/architecture.md}, "Several
 * replicas"). Ownership moves while Ferry runs: the scheduler, the queue dispatchers and cron ask
 * before they start work and listen for changes.
 *
 * <p>Partition numbers stay inside the backend: callers ask about the things they hold (a message,
 * a queue, a schedule).
 */
public interface PartitionOwnership {

  /** May this process attempt this pending message now? */
  boolean ownsMessage(
      String messageId, String tenant, String queue, String flowKey, String scheduleId);

  /** May this process dispatch this queue now (its FIFO order and parallelism live here)? */
  boolean ownsQueue(String tenant, String queue);

  /** May this process fire this schedule's ticks now? */
  boolean ownsSchedule(String scheduleId);

  /**
   * Does this process run the flow-control key's lane now (its unqueued messages are delivered
   * here, and its pause and pins are set here)?
   */
  boolean ownsFlowControlKey(String tenant, String key);

  /** Hears about every change of ownership; called on the listener's own context. */
  void listen(Listener listener);

  /**
   * Whether other processes may own part of the work. Components then also look in the store now
   * and then for work that was announced only to another process (a lost nudge costs latency, not a
   * message).
   */
  default boolean shared() {
    return true;
  }

  /**
   * How long after this process gains work the other processes may still announce that work to its
   * previous owner: their view of who owns what catches up within it. A component that looked in
   * the store on the gain looks once more after it, for work stored and announced elsewhere in
   * between. 0 when nobody else announces anything.
   */
  default long settleMillis() {
    return 0;
  }

  /** What changes of ownership ask of the components that deliver. */
  interface Listener {
    /** Partitions were gained: look for their work (due messages, queues, schedules) again. */
    void gained();

    /**
     * Partitions are being handed over to another process: start no new attempt of what this
     * process no longer owns (ask again), and complete once the attempts in flight on them have
     * ended, so that the handover waits for them (it waits a bounded time).
     */
    Future<Void> releasing();

    /**
     * Partitions were lost without a handover (a lease expired, this process was cut off): stop at
     * once; outcomes of attempts still in flight are refused by the store (fencing).
     */
    void lost();
  }

  /** One process owns everything, always: the embedded store. */
  static PartitionOwnership everything() {
    return Everything.INSTANCE;
  }

  /** {@link #everything()}: nothing ever changes, so listeners are never called. */
  enum Everything implements PartitionOwnership {
    INSTANCE;

    @Override
    public boolean ownsMessage(
        String messageId, String tenant, String queue, String flowKey, String scheduleId) {
      return true;
    }

    @Override
    public boolean ownsQueue(String tenant, String queue) {
      return true;
    }

    @Override
    public boolean ownsSchedule(String scheduleId) {
      return true;
    }

    @Override
    public boolean ownsFlowControlKey(String tenant, String key) {
      return true;
    }

    @Override
    public void listen(Listener listener) {}

    @Override
    public boolean shared() {
      return false;
    }
  }
}
