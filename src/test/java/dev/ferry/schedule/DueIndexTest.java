package dev.ferry.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.ingest.Ids;
import dev.ferry.model.PackedMessageId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    assertFalse(PackedMessageId.packs("msg_zzzzzzzzzzzzzzzzzzz")); // counter overflows a long
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
    assertEquals(
        expected.stream().map(e -> (String) e[1]).sorted().toList(),
        ids.stream().sorted().toList());
    assertEquals(0, index.size());
  }

  @Test
  void trimming_keeps_the_earliest_entries_ties_included_and_says_the_earliest_dropped() {
    Random random = new Random(11);
    for (int round = 0; round < 50; round++) {
      DueIndex index = new DueIndex();
      List<Object[]> all = new ArrayList<>();
      int n = 1 + random.nextInt(3000);
      for (int i = 0; i < n; i++) {
        long due = random.nextInt(round % 2 == 0 ? 50 : 1_000_000); // even rounds: many ties
        String id = i % 7 == 0 ? "foreign-" + i : Ids.newMessageId();
        index.add(due, id);
        all.add(new Object[] {due, id});
      }
      int keep = random.nextInt(n + 10);
      long earliestDropped = index.trimTo(keep);

      all.sort(Comparator.comparingLong(e -> (long) e[0]));
      int kept = Math.min(keep, n);
      assertEquals(kept, index.size());
      assertEquals(keep >= n ? Long.MAX_VALUE : (long) all.get(keep)[0], earliestDropped);
      List<String> out = new ArrayList<>();
      long previous = Long.MIN_VALUE;
      while (!index.isEmpty()) {
        assertTrue(index.peekDue() >= previous, "still a heap after the trim");
        previous = index.peekDue();
        out.add(index.peekId());
        index.poll();
      }
      // the kept ones are the earliest: all below the cut-off, and as many of those at it as fit
      for (int i = 0; i < kept; i++) {
        long due = (long) all.get(i)[0];
        if (kept == n || due < (long) all.get(kept)[0]) {
          assertTrue(out.contains((String) all.get(i)[1]), "kept " + all.get(i)[1]);
        }
      }
    }
  }

  @Test
  void each_entry_keeps_its_host_through_sifting_trimming_and_shrinking() {
    Random random = new Random(13);
    DueIndex index = new DueIndex();
    Map<String, String> hostOf = new HashMap<>();
    for (int i = 0; i < 20_000; i++) {
      String id = i % 11 == 0 ? "foreign-" + i : Ids.newMessageId();
      String host =
          i % 3 == 0 ? null : "http://h" + random.nextInt(50) + ".example"; // some untagged
      index.add(random.nextInt(1_000_000), id, host);
      hostOf.put(id, host);
    }
    index.trimTo(15_000);
    int seen = 0;
    while (!index.isEmpty()) {
      assertEquals(hostOf.get(index.peekId()), index.peekHost(), "host of " + index.peekId());
      index.poll(); // polling all the way down also shrinks the arrays
      seen++;
    }
    assertEquals(15_000, seen);
    index.add(5, Ids.newMessageId());
    assertNull(index.peekHost(), "a slot freed by poll holds no stale host");
  }
}
