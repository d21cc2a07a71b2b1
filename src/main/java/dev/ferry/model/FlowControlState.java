package dev.ferry.model;

/**
 * A flow-control key as the API shows it ({@code GET /v2/flowControl}): its waitlist, the limits in
 * force and how much of them is used now. Built by delivery, which owns the key's lane.
 *
 * @param key the flow-control key
 * @param waitListSize messages due but waiting for the key's limits (or its pause)
 * @param parallelismMax parallelism in force, 0 = unlimited
 * @param parallelismCount attempts in flight now
 * @param rateMax starts allowed per period, 0 = unlimited
 * @param rateCount starts in the current period
 * @param ratePeriodSeconds the rate period
 * @param ratePeriodStart Unix seconds when the current period began (0 = none yet)
 * @param paused dispatch paused
 * @param pinnedParallelism parallelism pinned (messages' values ignored)
 * @param pinnedRate rate and period pinned
 */
public record FlowControlState(
    String key,
    int waitListSize,
    int parallelismMax,
    int parallelismCount,
    int rateMax,
    int rateCount,
    long ratePeriodSeconds,
    long ratePeriodStart,
    boolean paused,
    boolean pinnedParallelism,
    boolean pinnedRate) {}
