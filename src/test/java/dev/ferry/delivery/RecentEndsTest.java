package dev.ferry.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.delivery.RecentEnds.Verdict;
import org.junit.jupiter.api.Test;

/** Which copies of a message read from the store may start an attempt, as attempts end. */
class RecentEndsTest {

  @Test
  void a_copy_read_before_an_attempt_of_its_message_ended_is_stale() {
    RecentEnds ends = new RecentEnds(8);
    ends.ended("msg_a", 100);
    assertEquals(Verdict.STALE, ends.copyRead("msg_a", 100), "read at the very end");
    assertEquals(Verdict.STALE, ends.copyRead("msg_a", 40));
    assertEquals(Verdict.FRESH, ends.copyRead("msg_a", 101), "read after the end");
    assertEquals(Verdict.FRESH, ends.copyRead("msg_b", 40), "another message");
  }

  @Test
  void ends_of_other_messages_since_the_read_do_not_hide_the_message_own_end() {
    RecentEnds ends = new RecentEnds(8);
    ends.ended("msg_a", 100);
    for (int i = 0; i < 6; i++) ends.ended("msg_" + i, 200 + i);
    assertEquals(Verdict.STALE, ends.copyRead("msg_a", 50));
    assertEquals(Verdict.FRESH, ends.copyRead("msg_a", 150));
  }

  @Test
  void a_copy_read_before_the_oldest_end_kept_cannot_be_judged() {
    RecentEnds ends = new RecentEnds(4);
    ends.ended("msg_a", 100);
    for (int i = 0; i < 4; i++) ends.ended("msg_" + i, 200 + i); // msg_a's end is forgotten
    assertEquals(Verdict.UNKNOWN, ends.copyRead("msg_a", 50));
    assertEquals(Verdict.UNKNOWN, ends.copyRead("msg_z", 150));
    assertEquals(Verdict.STALE, ends.copyRead("msg_1", 150), "its own end is still kept");
    assertEquals(Verdict.FRESH, ends.copyRead("msg_z", 202), "read after the ends kept began");
  }

  @Test
  void nothing_ended_yet_means_every_copy_is_fresh() {
    assertEquals(Verdict.FRESH, new RecentEnds(4).copyRead("msg_a", Long.MIN_VALUE));
    assertThrows(IllegalArgumentException.class, () -> new RecentEnds(6));
  }
}
