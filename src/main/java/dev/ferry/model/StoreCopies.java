package dev.ferry.model;

import java.util.List;

/**
 * Copies of messages handed to delivery, and the moment they are not older than: {@code readNanos}
 * is {@link System#nanoTime()} taken before the store was read (the copies show the store as of
 * then or later), or, for messages just stored, when they were handed on (an attempt started from
 * another copy of them would have to reach its destination and record its outcome between their
 * write and that moment). A copy read while an attempt of its message was running still shows the
 * message pending; delivery starts nothing from a copy whose message had an attempt end at or after
 * its {@code readNanos} (docs/architecture.md, "Stale copies").
 */
public record StoreCopies(List<Message> messages, long readNanos) {}
