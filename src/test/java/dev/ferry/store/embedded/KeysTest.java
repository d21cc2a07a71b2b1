package dev.ferry.store.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Key layouts must sort, as unsigned bytes (RocksDB's order), the way the store needs. */
class KeysTest {

  @Test
  void due_keys_sort_by_time_including_negative_times_then_by_id() {
    List<byte[]> sorted =
        List.of(
            Keys.due(Long.MIN_VALUE, ""),
            Keys.due(-1, "a"),
            Keys.due(0, "a"),
            Keys.due(255, "a"),
            Keys.due(256, "a"),
            Keys.due(256, "b"),
            Keys.due(Long.MAX_VALUE, "a"));
    assertInOrder(sorted);
    assertEquals(-1, Keys.dueAtOf(Keys.due(-1, "a")));
    assertEquals("msg_é", Keys.dueIdOf(Keys.due(7, "msg_é")));
  }

  @Test
  void dlq_ids_sort_numerically_and_unparsable_ones_after() {
    assertInOrder(
        List.of(
            Keys.dlqId("9-0"),
            Keys.dlqId("123-9"),
            Keys.dlqId("123-10"),
            Keys.dlqId("124-0"),
            Keys.dlqId("99999999999999-1"),
            Keys.dlqId("123-09"),
            Keys.dlqId("abc")));
  }

  @Test
  void dlq_ids_with_leading_zeros_or_odd_shapes_stay_distinct() {
    for (String raw :
        List.of("123-09", "0123-9", "-1", "1-", "1-2-3", "1--2", "x-1", "1234567890123456789-1")) {
      assertEquals(1, Keys.dlqId(raw)[0], raw);
    }
    assertFalse(Arrays.equals(Keys.dlqId("123-9"), Keys.dlqId("123-09")));
    assertEquals(0, Keys.dlqId("0-0")[0]);
  }

  @Test
  void tenant_and_queue_come_back_from_a_position_key() {
    byte[] key = Keys.queuePosition("acme", "orders", "msg_1");
    assertArrayEquals(new String[] {"acme", "orders"}, Keys.tenantAndQueueOf(key));
    assertEquals("msg_1", Keys.suffixOf(key, Keys.queuePrefix("acme", "orders").length));
    assertTrue(Keys.startsWith(key, Keys.queuePrefix("acme", "orders")));
    assertFalse(Keys.startsWith(key, Keys.queuePrefix("acme", "order")));
  }

  private static void assertInOrder(List<byte[]> keys) {
    for (int i = 1; i < keys.size(); i++) {
      assertTrue(
          Arrays.compareUnsigned(keys.get(i - 1), keys.get(i)) < 0, "key " + i + " out of order");
    }
  }
}
