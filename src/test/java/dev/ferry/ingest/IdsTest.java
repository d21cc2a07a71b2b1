package dev.ferry.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class IdsTest {
  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final String BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  private static final Pattern MESSAGE_ID = Pattern.compile("msg_[0-9A-Za-z]{19}");
  private static final Pattern DLQ_ID = Pattern.compile("(\\d+)-(\\d+)");
  private static final Pattern SIGNING_KEY = Pattern.compile("sig_[1-9A-HJ-NP-Za-km-z]{28}");
  private static final Pattern JWT_ID = Pattern.compile("jwt_[1-9A-HJ-NP-Za-km-z]{28}");

  /** The counter part of a message id, decoded independently of Ids. */
  private static long counterOf(String messageId) {
    long v = 0;
    for (char c : messageId.substring(4, 15).toCharArray()) {
      v = v * 62 + BASE62.indexOf(c);
    }
    return v;
  }

  private static long[] dlqParts(String dlqId) {
    var m = DLQ_ID.matcher(dlqId);
    assertTrue(m.matches(), dlqId);
    return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
  }

  // ---- counter
  // -------------------------------------------------------------------------------------------

  @Test
  void counter_starts_at_the_clock_and_counts_within_a_millisecond() {
    AtomicLong counter = new AtomicLong();
    assertEquals(1_000L << 16, Ids.next(counter, 1_000));
    assertEquals((1_000L << 16) + 1, Ids.next(counter, 1_000));
    assertEquals((1_000L << 16) + 2, Ids.next(counter, 1_000));
    assertEquals(1_001L << 16, Ids.next(counter, 1_001));
  }

  @Test
  void counter_never_goes_back_when_the_clock_does() {
    AtomicLong counter = new AtomicLong();
    long first = Ids.next(counter, 5_000);
    assertEquals(first + 1, Ids.next(counter, 4_000));
    assertEquals(first + 2, Ids.next(counter, 0));
  }

  @Test
  void counter_runs_ahead_of_the_clock_past_65536_per_millisecond() {
    AtomicLong counter = new AtomicLong();
    long last = 0;
    for (int i = 0; i < 65_537; i++) {
      last = Ids.next(counter, 7);
    }
    assertEquals(8L << 16, last);
    assertEquals((8L << 16) + 1, Ids.next(counter, 8));
  }

  @Test
  void an_unqueued_messages_id_holds_its_due_time_and_sorts_by_it() {
    long now = 1_893_456_000_000L;
    String soon = Ids.newMessageIdDueAt(now, now);
    String sameTime = Ids.newMessageIdDueAt(now, now);
    String later = Ids.newMessageIdDueAt(now + 60_000, now);
    assertEquals(now, Ids.timeOf(soon));
    assertEquals(now + 60_000, Ids.timeOf(later));
    assertTrue(Ids.firstIdAt(now).compareTo(soon) < 0);
    assertTrue(soon.compareTo(later) < 0 && sameTime.compareTo(later) < 0);
    assertTrue(later.compareTo(Ids.firstIdAt(now + 60_001)) < 0);
    assertTrue(later.compareTo(Ids.firstIdAt(now + 60_000)) > 0);
    assertTrue(MESSAGE_ID.matcher(later).matches(), later);
  }

  @Test
  void an_id_tells_its_creation_time_only_when_made_for_the_time_it_was_made() {
    long now = System.currentTimeMillis();
    assertEquals(now, Ids.createdAtOf(Ids.newMessageIdDueAt(now, now)));
    assertEquals(-1, Ids.createdAtOf(Ids.newMessageIdDueAt(now + 1000, now)));
    assertEquals(-1, Ids.createdAtOf(Ids.newMessageIdSortingIn(1000)));
    long created = Ids.createdAtOf(Ids.newMessageId());
    assertTrue(Math.abs(created - now) < 5000, "created " + created);
    assertEquals(-1, Ids.createdAtOf("msg_short"));
    assertEquals(-1, Ids.createdAtOf("not-a-ferry-id-at-all"));
    assertEquals(-1, Ids.timeOf("msg_!!!!!!!!!!!12345678"));
  }

  @Test
  void a_due_time_no_counter_holds_falls_back_to_an_ordinary_id() {
    long now = System.currentTimeMillis();
    String past = Ids.newMessageIdDueAt(Ids.MAX_ID_TIME + 1, now);
    assertTrue(Math.abs(Ids.timeOf(past) - now) < 5000, past);
    assertTrue(Math.abs(Ids.timeOf(Ids.newMessageIdDueAt(-5, now)) - now) < 5000);
  }

  @Test
  void base62_is_fixed_width_and_ordered() {
    assertEquals("00000000000", Ids.base62(0));
    assertEquals("0000000000z", Ids.base62(61));
    assertEquals("00000000010", Ids.base62(62));
    assertEquals("09CIKG69Eye", Ids.base62(1_900_000_000_000L << 16));
    assertEquals("AzL8n0Y58m7", Ids.base62(Long.MAX_VALUE));
    assertThrows(IllegalArgumentException.class, () -> Ids.base62(-1));
    Random random = new Random(42);
    for (int i = 0; i < 100_000; i++) {
      long a = random.nextLong() >>> 1;
      long b = random.nextLong() >>> 1;
      assertEquals(
          Long.signum(Long.compare(a, b)), Integer.signum(Ids.base62(a).compareTo(Ids.base62(b))));
    }
  }

  // ---- message ids
  // ---------------------------------------------------------------------------------------

  @Test
  void message_id_has_the_documented_shape_and_encodes_the_time() {
    long before = System.currentTimeMillis();
    String id = Ids.newMessageId();
    long after = System.currentTimeMillis();
    assertTrue(MESSAGE_ID.matcher(id).matches(), id);
    assertEquals(23, id.length());
    long millis = counterOf(id) >>> 16;
    // the counter may run ahead of the clock only if another test generated >65k ids in a
    // millisecond
    assertTrue(
        millis >= before && millis <= after + 60_000, "millis " + millis + " not near " + before);
  }

  @Test
  void
      an_id_sorting_in_the_future_sorts_after_the_ids_made_until_then_and_before_those_made_after() {
    String due = Ids.newMessageIdSortingIn(5_000);
    assertTrue(MESSAGE_ID.matcher(due).matches(), due);
    long millis = counterOf(due) >>> 16;
    assertTrue(
        Math.abs(millis - (System.currentTimeMillis() + 5_000)) < 1_000,
        "encodes now + 5 s: " + millis);
    for (int i = 0; i < 10_000; i++) {
      String id = Ids.newMessageId();
      assertTrue(id.compareTo(due) < 0, id + " made before the due time sorts after " + due);
    }
    String later =
        Ids.messageId(
            (millis + 1) << Ids.SEQUENCE_BITS); // an id made a millisecond after it is due
    assertTrue(later.compareTo(due) > 0, later + " vs " + due);
    assertTrue(Ids.newMessageIdSortingIn(-1).compareTo(Ids.newMessageIdSortingIn(10_000)) < 0);
  }

  @Test
  void message_ids_made_in_sequence_sort_in_creation_order() {
    String previous = Ids.newMessageId();
    for (int i = 0; i < 200_000; i++) {
      String id = Ids.newMessageId();
      assertTrue(id.compareTo(previous) > 0, previous + " then " + id);
      assertTrue(counterOf(id) > counterOf(previous));
      previous = id;
    }
  }

  @Test
  void message_ids_are_unique_and_ordered_per_thread_across_four_threads() throws Exception {
    int threads = 4;
    int perThread = 250_000;
    long[][] counters =
        runConcurrently(
            threads,
            () -> {
              long[] mine = new long[perThread];
              String previous = "";
              for (int i = 0; i < perThread; i++) {
                String id = Ids.newMessageId();
                if (id.compareTo(previous) <= 0 || !MESSAGE_ID.matcher(id).matches()) {
                  throw new AssertionError(previous + " then " + id);
                }
                mine[i] = counterOf(id);
                previous = id;
              }
              return mine;
            });
    assertAllDistinct(counters, threads * perThread);
  }

  @Test
  void message_id_random_tail_is_uniform_over_base62() {
    int[] counts = new int[62];
    int ids = 100_000;
    Set<String> tails = new HashSet<>();
    for (int i = 0; i < ids; i++) {
      String tail = Ids.newMessageId().substring(15);
      tails.add(tail);
      for (char c : tail.toCharArray()) {
        counts[BASE62.indexOf(c)]++;
      }
    }
    assertEquals(
        ids, tails.size()); // 62^8 possibilities: a repeat here would mean a broken generator
    int expected = ids * 8 / 62; // ~12 903; standard deviation ~112
    for (int i = 0; i < 62; i++) {
      assertTrue(
          Math.abs(counts[i] - expected) < 1_500, BASE62.charAt(i) + " appeared " + counts[i]);
    }
  }

  // ---- DLQ ids
  // -------------------------------------------------------------------------------------------

  @Test
  void dlq_id_formats_millis_and_sequence() {
    assertEquals("1725323658779-0", Ids.dlqId(1_725_323_658_779L << 16));
    assertEquals("1725323658779-12", Ids.dlqId((1_725_323_658_779L << 16) + 12));
    assertEquals("1725323658779-65535", Ids.dlqId((1_725_323_658_779L << 16) + 65_535));
    AtomicLong counter = new AtomicLong();
    assertEquals("1000-0", Ids.dlqId(Ids.next(counter, 1_000)));
    assertEquals("1000-1", Ids.dlqId(Ids.next(counter, 1_000)));
    assertEquals("1001-0", Ids.dlqId(Ids.next(counter, 1_001)));
  }

  @Test
  void dlq_ids_increase_as_number_pairs_and_carry_the_time() {
    long before = System.currentTimeMillis();
    long[] previous = dlqParts(Ids.newDlqId());
    assertTrue(previous[0] >= before && previous[0] <= System.currentTimeMillis() + 60_000);
    for (int i = 0; i < 100_000; i++) {
      long[] current = dlqParts(Ids.newDlqId());
      boolean later =
          current[0] > previous[0] || (current[0] == previous[0] && current[1] > previous[1]);
      assertTrue(later, Arrays.toString(previous) + " then " + Arrays.toString(current));
      previous = current;
    }
  }

  @Test
  void dlq_ids_are_unique_across_four_threads() throws Exception {
    int threads = 4;
    int perThread = 100_000;
    long[][] values =
        runConcurrently(
            threads,
            () -> {
              long[] mine = new long[perThread];
              for (int i = 0; i < perThread; i++) {
                long[] parts = dlqParts(Ids.newDlqId());
                mine[i] = (parts[0] << 16) | parts[1];
              }
              return mine;
            });
    assertAllDistinct(values, threads * perThread);
  }

  // ---- keys and JWT ids
  // ----------------------------------------------------------------------------------

  @Test
  void signing_keys_look_like_qstash_keys_and_are_unique() {
    assertTrue(
        SIGNING_KEY
            .matcher("sig_7kYjw48mhY7kAjqNGcy6cr29RJ6r")
            .matches()); // the dev key fits the pattern
    Set<String> keys = new HashSet<>();
    int[] counts = new int[58];
    for (int i = 0; i < 10_000; i++) {
      String key = Ids.newSigningKey();
      assertTrue(SIGNING_KEY.matcher(key).matches(), key);
      keys.add(key);
      for (char c : key.substring(4).toCharArray()) {
        counts[BASE58.indexOf(c)]++;
      }
    }
    assertEquals(10_000, keys.size());
    int expected = 10_000 * 28 / 58; // ~4 828; standard deviation ~69
    for (int i = 0; i < 58; i++) {
      assertTrue(Math.abs(counts[i] - expected) < 800, BASE58.charAt(i) + " appeared " + counts[i]);
    }
  }

  @Test
  void jwt_ids_have_the_documented_shape_and_are_unique() {
    assertTrue(
        JWT_ID
            .matcher("jwt_67kxXD6UBAk7DqU6hzuHMDdXFXfP")
            .matches()); // QStash's documented example fits
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String id = Ids.newJwtId();
      assertTrue(JWT_ID.matcher(id).matches(), id);
      ids.add(id);
    }
    assertEquals(10_000, ids.size());
  }

  // ---- helpers
  // -------------------------------------------------------------------------------------------

  private static long[][] runConcurrently(int threads, Supplier<long[]> work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<long[]>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(work::get));
      }
      long[][] results = new long[threads][];
      for (int t = 0; t < threads; t++) {
        results[t] = futures.get(t).get(60, TimeUnit.SECONDS);
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private static void assertAllDistinct(long[][] parts, int total) {
    long[] all = new long[total];
    int n = 0;
    for (long[] part : parts) {
      System.arraycopy(part, 0, all, n, part.length);
      n += part.length;
    }
    assertEquals(total, n);
    Arrays.sort(all);
    for (int i = 1; i < all.length; i++) {
      assertTrue(all[i] != all[i - 1], "duplicate counter " + all[i]);
    }
  }
}
