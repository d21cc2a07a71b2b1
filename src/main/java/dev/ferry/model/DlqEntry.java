package dev.ferry.model;

/**
 * A message that exhausted its retries (or was refused as non-retryable), kept with its last
 * attempt.
 *
 * @param dlqId {@code <unixMillis>-<seq>}, unique per store
 * @param message the message as it was at its last attempt
 * @param last the last attempt's result
 */
public record DlqEntry(String dlqId, Message message, AttemptResult last) {}
