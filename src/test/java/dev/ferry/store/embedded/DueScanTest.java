package dev.ferry.store.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.model.DueEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The merge of the due index's two places. */
class DueScanTest {
  private static DueEntry at(long dueAt, String id) {
    return new DueEntry(dueAt, id);
  }

  @Test
  void the_merge_keeps_due_order_counts_an_entry_in_both_once_and_stops_at_the_limit() {
    List<DueEntry> rows = List.of(at(1, "msg_b"), at(2, "msg_a"), at(3, "msg_c"));
    List<DueEntry> records = List.of(at(1, "msg_a"), at(2, "msg_a"), at(4, "msg_d"));
    assertEquals(
        List.of(at(1, "msg_a"), at(1, "msg_b"), at(2, "msg_a"), at(3, "msg_c"), at(4, "msg_d")),
        DueScan.merge(rows, records, 10));
    assertEquals(List.of(at(1, "msg_a"), at(1, "msg_b")), DueScan.merge(rows, records, 2));
    assertEquals(List.of(at(1, "msg_b")), DueScan.merge(List.of(at(1, "msg_b")), List.of(), 5));
  }
}
