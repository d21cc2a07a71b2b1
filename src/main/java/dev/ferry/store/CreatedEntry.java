package dev.ferry.store;

import dev.ferry.model.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * What a CREATED log entry needs of a new message: its tenant and id. The log writers queue these
 * instead of the messages, so an entry waiting to be written does not pin a body (its queue counts
 * 64 bytes for it; docs/operations.md#overload-and-full-disks).
 */
public record CreatedEntry(String tenant, String messageId) {
  public static List<CreatedEntry> of(List<Message> messages) {
    // a plain loop: a stream pipeline cost a single publish half a microsecond (a profile)
    if (messages.size() == 1) {
      Message m = messages.get(0);
      return List.of(new CreatedEntry(m.tenant(), m.id()));
    }
    List<CreatedEntry> entries = new ArrayList<>(messages.size());
    for (Message m : messages) entries.add(new CreatedEntry(m.tenant(), m.id()));
    return entries;
  }
}
