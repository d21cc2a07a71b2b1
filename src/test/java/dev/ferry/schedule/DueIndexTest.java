package dev.ferry.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.ingest.Ids;
import dev.ferry.model.PackedMessageId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DueIndexTest {

  @Test
  void minted_ids_round_trip_through_two_longs() {
    for (int i = 0; i < 10_000; i++) {
      String id = Ids.newMessageId();
      assertTrue(PackedMessageId.packs(id), id);
      assertEquals(id, PackedMessageId.unpack(PackedMessageId.high(id), PackedMessageId.low(id)));
    }
  }

  @Test
  void foreign_ids_do_not_pack() {
    assertFalse(PackedMessageId.packs("msg_short"));
    assertFalse(PackedMessageId.packs("xyz_08h2soh9dVwij0oVAXl"));
    assertFalse(PackedMessageId.packs("msg_08h2soh9dVw!j0oVAXl"));
    assertFalse(PackedMessageId.packs("msg_zzzzzzzzzzzzzzzzzzz"));  // counter overflows a long
  }

  @Test
  void entries_come_out_in_due_order_with_their_ids_including_foreign_ones() {
    Random random = new Random(7);
    DueIndex index = new DueIndex();
    List<Object[]> expected = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      long due = random.nextInt(100_000);
      String id = i % 97 == 0 ? "foreign-" + i : Ids.newMessageId();
      index.add(due, id);
      expected.add(new Object[] {due, id});
    }
    expected.sort(Comparator.comparingLong(e -> (Long) e[0]));
    List<Long> dues = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    while (!index.isEmpty()) {
      dues.add(index.peekDue());
      ids.add(index.peekId());
      index.poll();
    }
    assertEquals(expected.stream().map(e -> (Long) e[0]).toList(), dues);
    assertEquals(expected.stream().map(e -> (String) e[1]).sorted().toList(), ids.stream().sorted().toList());
    assertEquals(0, index.size());
  }
}
