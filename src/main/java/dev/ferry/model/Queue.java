package dev.ferry.model;

/**
 * A FIFO queue of one tenant. Parallelism 1 means strict order: the next message waits for the
 * current one's retries. Times are Unix ms.
 */
public record Queue(
    String tenant, String name, int parallelism, boolean paused, long createdAt, long updatedAt) {}
