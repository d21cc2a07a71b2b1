package dev.ferry.store;

import dev.ferry.model.Message;
import java.util.List;

/**
 * What a CREATED log entry needs of a new message: its tenant and id. The log writers queue these
 * instead of the messages, so an entry waiting to be written does not pin a body (its queue counts
 * 64 bytes for it; docs/operations.md#overload-and-full-disks).
 */
public record CreatedEntry(String tenant, String messageId) {
  public static List<CreatedEntry> of(List<Message> messages) {
    return messages.stream().map(m -> new CreatedEntry(m.tenant(), m.id())).toList();
  }
}
