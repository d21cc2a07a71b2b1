package dev.ferry.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.ingest.Ids;
import dev.ferry.model.PackedMessageId;
import dev.ferry.store.MessageIds.Placement;
import org.junit.jupiter.api.Test;

/** The partition function and the partition inside message ids: pure, so checked exhaustively. */
class PartitionsTest {
  private final Partitions partitions = new Partitions(64);
  private final RedisIds ids = new RedisIds(partitions);

  @Test
  void every_partition_round_trips_through_an_id() {
    for (int count : new int[] {1, 7, 64, 1024}) {
      Partitions p = new Partitions(count);
      for (int partition = 0; partition < count; partition++) {
        String id = p.withPartition(Ids.newMessageId(), partition);
        assertEquals(25, id.length(), id);
        assertEquals(partition, p.ofId(id), id);
      }
    }
  }

  @Test
  void the_hash_is_crc32_of_the_utf8_parts_and_never_changes() {
    // stored in every id and key: a change would strand every message already in Redis
    assertEquals(62, partitions.ofQueue("acme", "q"));
    assertEquals(11, partitions.of(new Placement("acme", null, null, "scd_nightly", null), "x"));
    assertEquals(4, partitions.of(new Placement("acme", null, null, null, "k"), "x"));
  }

  @Test
  void a_message_is_placed_by_queue_then_flow_key_then_dedup_key_then_schedule_then_id() {
    String minted = Ids.newMessageId();
    int byQueue = partitions.ofQueue("acme", "q");
    int byFlow = partitions.of(new Placement("acme", null, "f", null, null), minted);
    int byDedup = partitions.of(new Placement("acme", null, null, null, "k"), minted);
    int bySchedule = partitions.of(new Placement("acme", null, null, "scd_1", null), minted);
    assertEquals(byQueue, partitions.of(new Placement("acme", "q", "f", "scd_1", "k"), minted));
    assertEquals(byFlow, partitions.of(new Placement("acme", null, "f", "scd_1", "k"), minted));
    // the flow-control API finds a key's lane through this partition
    assertEquals(byFlow, partitions.ofFlowControlKey("acme", "f"));
    assertEquals(byDedup, partitions.of(new Placement("acme", null, null, "scd_1", "k"), minted));
    assertEquals(
        bySchedule, partitions.of(new Placement("acme", null, null, "scd_1", null), minted));
  }

  @Test
  void completed_ids_name_the_partition_their_placement_chose_and_still_sort_by_creation() {
    Placement queued = new Placement("acme", "orders", null, null, null);
    String first = ids.complete(Ids.newMessageId(), queued);
    String second = ids.complete(Ids.newMessageId(), queued);
    assertEquals(partitions.ofQueue("acme", "orders"), partitions.ofId(first));
    assertTrue(first.compareTo(second) < 0, first + " then " + second);
    Placement unplaced = new Placement("acme", null, null, null, null);
    String minted = Ids.newMessageId();
    String id = ids.complete(minted, unplaced);
    assertEquals(partitions.of(unplaced, minted), partitions.ofId(id));
  }

  @Test
  void duplicates_of_one_dedup_key_always_meet_in_one_partition() {
    Placement guarded = new Placement("acme", null, null, null, "order-17");
    int first = partitions.ofId(ids.complete(Ids.newMessageId(), guarded));
    for (int i = 0; i < 100; i++) {
      assertEquals(first, partitions.ofId(ids.complete(Ids.newMessageId(), guarded)));
    }
  }

  @Test
  void ids_of_another_shape_map_to_a_stable_partition_in_range() {
    for (String id :
        new String[] {"msg_unknown", "msg_000000000001", "", "msg_" + "z".repeat(21)}) {
      int p = partitions.ofId(id);
      assertTrue(p >= 0 && p < 64, id + " -> " + p);
      assertEquals(p, partitions.ofId(id));
    }
    // an id of the full length whose suffix names no partition (>= count) is hashed too
    String tooHigh = Ids.newMessageId() + "zz";
    assertEquals(partitions.ofId(tooHigh), partitions.ofId(tooHigh));
    assertTrue(partitions.ofId(tooHigh) < 64);
  }

  @Test
  void completed_ids_are_kept_as_strings_by_the_due_index() {
    // PackedMessageId packs only ids as minted: Redis ids take the String path of DueIndex
    String id = ids.complete(Ids.newMessageId(), new Placement("acme", null, null, null, null));
    assertEquals(false, PackedMessageId.packs(id));
  }
}
