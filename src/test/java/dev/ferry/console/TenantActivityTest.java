package dev.ferry.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.delivery.DeliveryEvents.Outcome;
import dev.ferry.model.AttemptResult;
import dev.ferry.model.Message;
import dev.ferry.testing.MessageBuilder;
import dev.ferry.testing.TestClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Per-tenant recent activity: minute buckets that roll over, in-flight counts, failing hosts
 * (capped).
 */
class TenantActivityTest {
  static final Instant T0 = Instant.parse("2030-01-01T10:00:10Z");
  final TestClock clock = new TestClock(T0);
  final TenantActivity activity = new TenantActivity(clock);
  int seq;

  Message message(String tenant, String url) {
    return MessageBuilder.message("msg_" + (++seq), tenant, url)
        .headers(Map.of())
        .body(new byte[0])
        .labels(List.of())
        .build();
  }

  static AttemptResult status(int status) {
    return new AttemptResult(status, Map.of(), new byte[0], null, 0);
  }

  @Test
  void counts_each_minute_separately_and_forgets_minutes_older_than_the_window() {
    activity.published(
        List.of(message("a", "http://x/"), message("a", "http://x/"), message("b", "http://x/")));
    clock.jumpTo(T0.plusSeconds(60));
    Message m = message("a", "http://x/");
    activity.attemptStarted(m);
    assertEquals(1, activity.inFlight("a"));
    activity.attemptEnded(m, status(200), 0, Outcome.DELIVERED, -1);
    assertEquals(0, activity.inFlight("a"));

    long[][] a = activity.perMinute("a", 3);
    assertArrayEquals(new long[] {0, 0, 0, 0}, a[0]);
    assertArrayEquals(new long[] {2, 0, 0, 0}, a[1]);
    assertArrayEquals(new long[] {0, 1, 0, 0}, a[2]);
    assertArrayEquals(new long[] {1, 0, 0, 0}, activity.perMinute("b", 2)[0]);

    // past the hour the ring has wrapped: old minutes read as zero, and a reused slot starts from
    // zero
    clock.jumpTo(T0.plusSeconds(60L * (TenantActivity.MINUTES + 1)));
    activity.published(List.of(message("a", "http://x/")));
    long[][] later = activity.perMinute("a", TenantActivity.MINUTES);
    assertArrayEquals(new long[] {1, 0, 0, 0}, later[TenantActivity.MINUTES - 1]);
    long total = 0;
    for (long[] minute : later)
      total += minute[TenantActivity.PUBLISHED] + minute[TenantActivity.DELIVERED];
    assertEquals(1, total);
  }

  @Test
  void failing_hosts_are_ranked_by_failed_attempts_of_the_last_fifteen_minutes() {
    for (int i = 0; i < 3; i++)
      fail("a", "https://user:pw@down.example.com:8443/x?token=1", 503, Outcome.RETRY);
    fail("a", "http://flaky.example.com/", 0, Outcome.FAILED);
    fail("b", "http://other-tenant.example.com/", 500, Outcome.FAILED);

    List<TenantActivity.HostFailures> hosts = activity.failingHosts("a", 5);
    assertEquals(
        List.of(
            new TenantActivity.HostFailures("down.example.com", 3, "HTTP 503"),
            new TenantActivity.HostFailures("flaky.example.com", 1, "refused")),
        hosts);
    long[] now = activity.perMinute("a", 1)[0];
    assertEquals(3, now[TenantActivity.RETRIED]);
    assertEquals(1, now[TenantActivity.FAILED]);

    clock.jumpTo(T0.plusSeconds(60L * TenantActivity.HOST_MINUTES));
    assertEquals(List.of(), activity.failingHosts("a", 5));
  }

  @Test
  void hosts_beyond_the_cap_share_one_row() {
    for (int i = 0; i < TenantActivity.MAX_HOSTS + 5; i++) {
      fail("a", "http://h" + i + ".example.com/", 500, Outcome.RETRY);
    }
    List<TenantActivity.HostFailures> hosts = activity.failingHosts("a", 1);
    assertEquals(
        new TenantActivity.HostFailures(TenantActivity.OTHER_HOSTS, 5, "HTTP 500"), hosts.get(0));
  }

  @Test
  void events_reported_from_several_threads_at_once_are_all_counted() throws Exception {
    Message m = message("a", "http://x/");
    int threads = 4;
    int each = 20_000;
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      workers[t] =
          new Thread(
              () -> {
                for (int i = 0; i < each; i++) {
                  activity.attemptStarted(m);
                  activity.attemptEnded(m, status(200), 0, Outcome.DELIVERED, -1);
                }
              });
      workers[t].start();
    }
    for (Thread w : workers) w.join();
    assertEquals((long) threads * each, activity.perMinute("a", 1)[0][TenantActivity.DELIVERED]);
    assertEquals(0, activity.inFlight("a"));
  }

  private void fail(String tenant, String url, int status, Outcome outcome) {
    Message m = message(tenant, url);
    activity.attemptStarted(m);
    AttemptResult result =
        status == 0 ? new AttemptResult(0, Map.of(), new byte[0], "refused", 0) : status(status);
    activity.attemptEnded(m, result, 0, outcome, outcome == Outcome.RETRY ? 1 : -1);
  }
}
