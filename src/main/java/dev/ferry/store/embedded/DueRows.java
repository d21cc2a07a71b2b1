package dev.ferry.store.embedded;

import dev.ferry.ingest.Ids;

/**
 * Which unqueued messages need a row in the {@code due} column family. One whose id holds its due
 * time ({@link Ids#newMessageIdDueAt}) is found by {@link DueScan} in the {@code messages} column
 * family itself, whose keys sort by that time: one write serves as record and due index. A row is
 * written only for a message due at another time (a retry, an id from elsewhere). Pure.
 */
final class DueRows {
  private DueRows() {}

  /** Whether an unqueued message due at {@code dueAt} needs its own due row. */
  static boolean separate(String messageId, long dueAt) {
    return Ids.timeOf(messageId) != dueAt;
  }
}
