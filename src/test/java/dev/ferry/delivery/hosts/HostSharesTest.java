package dev.ferry.delivery.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.model.DueEntry;
import dev.ferry.model.Message;
import dev.ferry.testing.MessageBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The per-host share of delivery's slots: counting, parking, passing a slot on in order. Pure, no
 * I/O.
 */
class HostSharesTest {
  private static int seq;

  private static Message to(String url) {
    return MessageBuilder.message("msg_" + (++seq), "t", url)
        .headers(Map.of())
        .body(new byte[0])
        .labels(List.of())
        .dueAt(100 + seq)
        .build();
  }

  @Test
  void the_share_is_a_percentage_of_the_slots_rounded_up_and_at_least_one() {
    assertEquals(10, new HostShares(40, 25).share());
    assertEquals(1, new HostShares(3, 25).share());
    assertEquals(2500, new HostShares(10_000, 25).share());
    assertEquals(Integer.MAX_VALUE, new HostShares(40, 100).share());
  }

  @Test
  void a_host_at_its_share_parks_further_messages_while_other_hosts_go_on() {
    HostShares shares = new HostShares(8, 25); // share 2
    assertTrue(shares.acquire(to("http://dead.example:81/a")));
    assertTrue(shares.acquire(to("http://DEAD.example:81/b?x")));
    assertFalse(shares.acquire(to("http://dead.example:81/c")));
    assertTrue(shares.acquire(to("http://healthy.example/a")));
    assertEquals(1, shares.parked());
    assertEquals(2, shares.held("http://dead.example:81"));
  }

  @Test
  void a_released_slot_passes_to_the_oldest_parked_message_of_that_host_and_stays_taken() {
    HostShares shares = new HostShares(4, 25); // share 1
    List<DueEntry> resumed = new ArrayList<>();
    shares.onResume((host, parked) -> resumed.add(parked));
    String host = "http://dead.example";
    Message first = to(host + "/1");
    Message second = to(host + "/2");
    Message third = to(host + "/3");
    assertTrue(shares.acquire(first));
    assertFalse(shares.acquire(second));
    assertFalse(shares.acquire(third));
    assertFalse(shares.acquire(second), "a duplicate is parked once");
    assertEquals(2, shares.parked());

    shares.release(host);
    assertEquals(List.of(new DueEntry(second.dueAt(), second.id())), resumed);
    assertEquals(1, shares.held(host), "the slot passed on, it was not freed");
    shares.release(host);
    assertEquals(third.id(), resumed.get(1).messageId());
    shares.release(host);
    assertEquals(0, shares.held(host));
    assertEquals(0, shares.parked());
    assertTrue(shares.acquire(to(host + "/4")));
  }

  @Test
  void
      a_due_entry_of_a_host_at_its_share_is_parked_without_its_message_and_gets_the_next_slot_in_turn() {
    HostShares shares = new HostShares(4, 25); // share 1
    List<DueEntry> resumed = new ArrayList<>();
    shares.onResume((host, parked) -> resumed.add(parked));
    String host = "http://dead.example";
    DueEntry tagged = shares.dueEntry(to(host + "/2"), 500);
    assertEquals(host, tagged.host());
    assertFalse(
        shares.parkIfFull(tagged), "the host holds no slot: the scheduler reads the message");
    assertTrue(shares.acquire(to(host + "/1")));

    assertTrue(shares.parkIfFull(tagged));
    assertTrue(shares.parkIfFull(tagged), "a duplicate entry is parked once");
    assertFalse(
        shares.parkIfFull(new DueEntry(7, "msg_untagged", null)), "no host: read as before");
    assertFalse(shares.parkIfFull(shares.dueEntry(to("http://healthy.example/x"), 7)));
    assertEquals(1, shares.parked());
    assertFalse(shares.acquire(to(host + "/3")), "parked after it, so it goes after it");

    shares.release(host);
    assertEquals(List.of(new DueEntry(500, tagged.messageId())), resumed);
    assertEquals(1, shares.held(host));
  }

  @Test
  void queued_and_flow_controlled_messages_and_an_unlimited_share_are_not_counted() {
    Message queued =
        MessageBuilder.message("q", "t", "http://x/")
            .queueName("orders")
            .headers(Map.of())
            .body(new byte[0])
            .labels(List.of())
            .build();
    assertFalse(new HostShares(40, 25).counts(queued));
    assertFalse(HostShares.unlimited().counts(to("http://x/")));
    assertTrue(new HostShares(40, 25).counts(to("http://x/")));
    assertNull(new HostShares(40, 25).dueEntry(queued, 5).host(), "not counted, not tagged");
    assertNull(HostShares.unlimited().dueEntry(to("http://x/"), 5).host());
  }

  @Test
  void the_host_key_is_scheme_host_and_port_in_lower_case() {
    assertEquals(
        "https://api.example.com:8443",
        HostShares.hostOf("HTTPS://API.example.com:8443/path?q=1#f"));
    assertEquals("http://a.example", HostShares.hostOf("http://a.example?x=/y"));
    assertEquals("http://a.example", HostShares.hostOf("http://a.example"));
  }
}
