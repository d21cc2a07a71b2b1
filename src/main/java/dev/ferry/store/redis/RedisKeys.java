package dev.ferry.store.redis;

/**
 * Every Redis key name of the store (see {@code docs/store-contract.md}, "Redis backend"). Keys of
 * partition N share the hash tag {@code {<prefix>p<N>}}, so one Lua script may change all of them
 * atomically on Redis Cluster; metadata shares {@code {<prefix>meta}}; a tenant's DLQ index has a
 * tag of its own. Names inside a key are separated by a 0 byte, which no tenant, queue or key name
 * contains. Pure and thread-safe.
 */
final class RedisKeys {
  private final String prefix;

  RedisKeys(String prefix) {
    this.prefix = prefix;
  }

  private String partition(int p) {
    return prefix + "{" + prefix + "p" + p + "}:";
  }

  /** HASH message id → encoded pending message. */
  String messages(int p) {
    return partition(p) + "m";
  }

  /** Lex ZSET of unqueued pending messages: 8-byte order-preserving dueAt + id. */
  String due(int p) {
    return partition(p) + "due";
  }

  /** Lex ZSET of every pending message id of the partition (creation order). */
  String ids(int p) {
    return partition(p) + "ids";
  }

  /**
   * HASH tenant → how many of its messages are pending in partition p, changed by every script that
   * adds or removes pending messages; field "\0" marks that the counts exist (see {@code
   * pending_count_init.lua}). Per partition, so each script's keys stay in one slot.
   */
  String pendingCounts(int p) {
    return partition(p) + "pc";
  }

  /** Lex ZSET of one queue's pending message ids (FIFO = id order). */
  String queue(int p, String tenant, String queue) {
    return partition(p) + "q:" + tenant + '\0' + queue;
  }

  /** HASH tenant 0 dedupKey → "expiresAt messageId". */
  String dedup(int p) {
    return partition(p) + "dd";
  }

  /** ZSET score expiresAt, member "tenant 0 dedupKey 0 expiresAt": the dedup purge's index. */
  String dedupExpiry(int p) {
    return partition(p) + "ddx";
  }

  /** HASH schedule id → "revision json" of one tenant's schedules kept in partition p. */
  String schedules(int p, String tenant) {
    return partition(p) + "s:" + tenant;
  }

  /**
   * HASH tenant 0 scheduleId → length-prefixed records of tick messages that belong to other
   * partitions and are not confirmed stored there yet (see {@code RedisScheduleStore}).
   */
  String tickOutbox(int p) {
    return partition(p) + "so";
  }

  /**
   * HASH of one workflow run: {@code r} = the run as created ({@code WorkflowRunCodec}), {@code st}
   * = its state, {@code resp}, {@code end} and {@code dlq} once it ended, {@code inv} = 1 when it
   * has an invoker; {@code w:<waiter field>} per waiter, {@code h:<eventId>} per kept webhook call,
   * {@code t:<runId>} per invoked run whose end was told to it.
   */
  String workflowRun(int p, String tenant, String runId) {
    return partition(p) + "wf:" + tenant + '\0' + runId;
  }

  /** LIST of one workflow run's steps ({@code WorkflowRunCodec}) in append order. */
  String workflowSteps(int p, String tenant, String runId) {
    return partition(p) + "wfs:" + tenant + '\0' + runId;
  }

  /**
   * HASH tenant 0 runId 0 eventId 0 stepId → {@code WorkflowWaiterCodec} record: the waiters of the
   * runs of partition p.
   */
  String workflowWaiters(int p) {
    return partition(p) + "ww";
  }

  /** SET of "tenant 0 runId": ended invoked runs of partition p whose invoker was not told yet. */
  String workflowUntold(int p) {
    return partition(p) + "wfu";
  }

  /** ZSET score endedAt, member "tenant 0 runId": the ended runs of partition p (retention). */
  String workflowEnded(int p) {
    return partition(p) + "wfx";
  }

  /**
   * HASH tenant 0 runId → records of a run's step messages that belong to other partitions and are
   * not confirmed stored there yet ({@code MessageOutbox}).
   */
  String workflowOutbox(int p) {
    return partition(p) + "wo";
  }

  /**
   * HASH tenant 0 runId 0 dlqId → failedAt: steps of partition p moved to the DLQ whose run is not
   * confirmed failed yet.
   */
  String workflowFailures(int p) {
    return partition(p) + "wff";
  }

  private String workflowTenant(String tenant) {
    return prefix + "{" + prefix + "wf:" + tenant + "}:";
  }

  /** Lex ZSET of a tenant's run ids (listings); may name runs already gone. */
  String workflowRunIndex(String tenant) {
    return workflowTenant(tenant) + "runs";
  }

  /** SET of "runId 0 stepId" waiting for one event; may name waiters already gone. */
  String workflowEventIndex(String tenant, String eventId) {
    return workflowTenant(tenant) + "ev:" + eventId;
  }

  /** HASH tenant 0 dlqId → encoded DLQ entry. */
  String dlq(int p) {
    return partition(p) + "dlq";
  }

  /** ZSET score dlqId millis, member "tenant 0 dlqId": the DLQ retention's index. */
  String dlqExpiry(int p) {
    return partition(p) + "dlqx";
  }

  /** Lex ZSET of one tenant's DLQ entries: order-preserving dlqId, then the 2-byte partition. */
  String dlqIndex(String tenant) {
    return prefix + "{" + prefix + "dlq:" + tenant + "}:i";
  }

  private String log(String tenant) {
    return prefix + "{" + prefix + "log:" + tenant + "}:";
  }

  /** STREAM of one tenant's log rows; entry id {@code <ms>-<seq>} is the first entry's position. */
  String logStream(String tenant) {
    return log(tenant) + "e";
  }

  /** HASH message id → {@code MessageCodec} record of a finished message, for its log entries. */
  String logSnapshots(String tenant) {
    return log(tenant) + "s";
  }

  /** STRING {@code <ms>-<seq>}: the position the tenant's next log row may take at the earliest. */
  String logNext(String tenant) {
    return log(tenant) + "n";
  }

  private String meta() {
    return prefix + "{" + prefix + "meta}:";
  }

  /**
   * STRING {@code <replica id>:<token>} with an expiry: who owns the partition (see {@code
   * PartitionLeases}); delivery's writes in the partition carry the value they were made under.
   */
  String lease(int p) {
    return partition(p) + "lease";
  }

  /** Counter of the partition's fencing tokens; only grows. */
  String fence(int p) {
    return partition(p) + "fence";
  }

  /** ZSET replica id → membership expiry (Redis server ms): the live replicas. */
  String members() {
    return meta() + "members";
  }

  /** Pub/sub channel of one replica: nudges about work it owns ({@code RedisNudges}). */
  String nudges(String replicaId) {
    return prefix + "nudge:" + replicaId;
  }

  /**
   * Pub/sub channel of one replica: flow-control commands for the keys it owns, and the answers to
   * the commands it sent ({@code RedisFlowControlPeers}).
   */
  String flowControlPeers(String replicaId) {
    return prefix + "fc:" + replicaId;
  }

  /**
   * Pub/sub channel every replica listens on: signing-key rotations ({@code RedisKeyRotations}).
   */
  String keyRotations() {
    return prefix + "keys";
  }

  /** Pub/sub channel of one replica: acknowledgements of the rotations it announced. */
  String keyRotationAcks(String replicaId) {
    return prefix + "keys:" + replicaId;
  }

  /** The partition count, written at first start. */
  String partitionCount() {
    return meta() + "partitions";
  }

  /** Readiness's tiny write. */
  String probe() {
    return meta() + "probe";
  }

  /** HASH name → record of one tenant's metadata of one kind (queues, groups, ...). */
  String metadata(String kind, String tenant) {
    return meta() + kind + ":" + tenant;
  }

  /** SET of the tenants that have metadata of one kind. */
  String metadataTenants(String kind) {
    return meta() + kind + "-tenants";
  }

  /** SET of the tenants that have log entries (retention walks them). */
  String logTenants() {
    return meta() + "log-tenants";
  }

  /** SET of the tenants that have schedules. */
  String scheduleTenants() {
    return meta() + "schedule-tenants";
  }

  /**
   * SET of the partitions where a tenant has (or had) schedules; only grows, so a schedule is never
   * missing from it.
   */
  String schedulePartitions(String tenant) {
    return meta() + "schedule-partitions:" + tenant;
  }

  /** HASH tenant → stored signing keys. */
  String signingKeys() {
    return meta() + "keys";
  }
}
