package dev.ferry.model;

/** One row of the due index: the unqueued message {@code messageId} should be attempted at {@code dueAt} (Unix ms). */
public record DueEntry(long dueAt, String messageId) implements Comparable<DueEntry> {
  @Override
  public int compareTo(DueEntry o) {
    int c = Long.compare(dueAt, o.dueAt);
    return c != 0 ? c : messageId.compareTo(o.messageId);
  }
}
