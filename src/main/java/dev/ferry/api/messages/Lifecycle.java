package dev.ferry.api.messages;

import dev.ferry.lifecycle.Cancellations;
import dev.ferry.store.LogStore;
import java.util.function.BiConsumer;

/**
 * What the message, DLQ and logs endpoints need besides the stores every handler gets: the log, the
 * set of cancelled ids that delivery consults, and who to tell when DLQ entries are removed (the
 * DLQ-size gauge). Built in {@code Ferry}.
 */
public record Lifecycle(
    LogStore logs, Cancellations cancellations, BiConsumer<String, Long> dlqRemoved) {}
