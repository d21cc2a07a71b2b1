package dev.ferry.model;

/**
 * One row of the due index: the unqueued message {@code messageId} should be attempted at {@code
 * dueAt} (Unix ms). {@code host} is the destination host whose share of delivery's slots the
 * message counts against ({@code HostShares.hostOf}), when the one handing the entry over knew it
 * (it had the message); null when unknown (rows read back from the store) or not counted. It lets
 * the scheduler park a message of a host that holds its share without reading it from the store
 * first.
 */
public record DueEntry(long dueAt, String messageId, String host) implements Comparable<DueEntry> {
  public DueEntry(long dueAt, String messageId) {
    this(dueAt, messageId, null);
  }

  @Override
  public int compareTo(DueEntry o) {
    int c = Long.compare(dueAt, o.dueAt);
    return c != 0 ? c : messageId.compareTo(o.messageId);
  }
}
