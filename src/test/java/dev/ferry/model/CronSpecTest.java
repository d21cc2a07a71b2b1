package dev.ferry.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class CronSpecTest {
  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  @Test
  void five_fields_in_utc_by_default_and_trimmed() {
    CronSpec spec = CronSpec.parse("  */10 * * * * ");
    assertEquals("*/10 * * * *", spec.expression());
    assertEquals(ZoneOffset.UTC, spec.zone());
    assertEquals(
        ms("2026-01-01T00:10:00Z"), spec.nextAfter(ms("2026-01-01T00:00:00Z")).getAsLong());
    assertEquals(
        ms("2026-01-01T00:10:00Z"), spec.nextAfter(ms("2026-01-01T00:09:59.999Z")).getAsLong());
  }

  @Test
  void next_is_strictly_after_and_latest_is_at_or_before() {
    CronSpec spec = CronSpec.parse("* * * * *");
    long boundary = ms("2026-01-01T00:01:00Z");
    assertEquals(boundary + 60_000, spec.nextAfter(boundary).getAsLong());
    assertEquals(boundary, spec.latestAtOrBefore(boundary).getAsLong());
    assertEquals(boundary, spec.latestAtOrBefore(boundary + 59_999).getAsLong());
    assertEquals(boundary - 60_000, spec.latestAtOrBefore(boundary - 1).getAsLong());
  }

  @Test
  void cron_tz_prefix_evaluates_in_that_zone() {
    CronSpec spec = CronSpec.parse("CRON_TZ=America/New_York 0 4 * * *");
    assertEquals(NEW_YORK, spec.zone());
    assertEquals(
        ms("2026-01-15T09:00:00Z"), spec.nextAfter(ms("2026-01-15T00:00:00Z")).getAsLong());
    assertEquals(
        ms("2026-07-15T08:00:00Z"), spec.nextAfter(ms("2026-07-15T00:00:00Z")).getAsLong());
  }

  @Test
  void descriptors_mean_their_five_field_form() {
    long t = ms("2026-01-01T10:30:00Z");
    assertEquals(ms("2026-01-02T00:00:00Z"), CronSpec.parse("@daily").nextAfter(t).getAsLong());
    assertEquals(ms("2026-01-01T11:00:00Z"), CronSpec.parse("@hourly").nextAfter(t).getAsLong());
    assertEquals(
        ms("2026-01-04T00:00:00Z"), CronSpec.parse("@weekly").nextAfter(t).getAsLong()); // a Sunday
    assertEquals(ms("2026-02-01T00:00:00Z"), CronSpec.parse("@monthly").nextAfter(t).getAsLong());
    assertEquals(ms("2027-01-01T00:00:00Z"), CronSpec.parse("@yearly").nextAfter(t).getAsLong());
  }

  @Test
  void invalid_expressions_are_refused_with_the_qstash_prefix() {
    for (String bad :
        List.of(
            "",
            "   ",
            "* * * *",
            "* * * * * *",
            "60 * * * *",
            "0 0 L * *",
            "@every 5m",
            "@reboot",
            "CRON_TZ=Mars/Olympus 0 0 * * *",
            "CRON_TZ=UTC",
            "hello")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> CronSpec.parse(bad), bad);
      assertTrue(e.getMessage().startsWith("Invalid cron expression "), e.getMessage());
    }
    assertEquals(
        "Invalid cron expression empty spec string",
        assertThrows(IllegalArgumentException.class, () -> CronSpec.parse("")).getMessage());
  }

  /**
   * Found by fuzzing ({@code ModelParsersFuzzTest#cronSpecs}): cron-utils threw
   * ArrayIndexOutOfBoundsException.
   */
  @Test
  void input_that_crashes_the_cron_library_is_refused_like_any_other() {
    for (String bad : List.of("0 0 30 | *", "| * * * *", "* * * * |")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> CronSpec.parse(bad), bad);
      assertTrue(e.getMessage().startsWith("Invalid cron expression "), e.getMessage());
    }
  }

  /**
   * 2026-03-08 02:00 EST → 03:00 EDT: 02:30 does not exist that day, so the daily 02:30 tick is
   * skipped.
   */
  @Test
  void spring_forward_skips_a_local_time_that_does_not_exist() {
    CronSpec spec = CronSpec.parse("CRON_TZ=America/New_York 30 2 * * *");
    assertEquals(
        List.of("2026-03-07T07:30:00Z", "2026-03-09T06:30:00Z", "2026-03-10T06:30:00Z"),
        ticks(spec, "2026-03-07T00:00:00Z", 3));
  }

  /** Hourly ticks jump from 01:00 EST to 03:00 EDT: one real hour apart, none lost. */
  @Test
  void spring_forward_hourly_keeps_every_real_hour() {
    CronSpec spec = CronSpec.parse("CRON_TZ=America/New_York 0 * * * *");
    assertEquals(
        List.of("2026-03-08T06:00:00Z", "2026-03-08T07:00:00Z", "2026-03-08T08:00:00Z"),
        ticks(spec, "2026-03-08T05:30:00Z", 3));
  }

  /**
   * 2026-11-01 02:00 EDT → 01:00 EST: 01:30 happens twice; the daily 01:30 tick fires once, at the
   * first.
   */
  @Test
  void fall_back_fires_a_repeated_fixed_time_once() {
    CronSpec spec = CronSpec.parse("CRON_TZ=America/New_York 30 1 * * *");
    assertEquals(
        List.of("2026-10-31T05:30:00Z", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"),
        ticks(spec, "2026-10-31T00:00:00Z", 3));
  }

  /** With a wildcard hour, both occurrences of the repeated hour fire (every real half hour). */
  @Test
  void fall_back_repeats_wildcard_hour_ticks() {
    CronSpec spec = CronSpec.parse("CRON_TZ=America/New_York */30 * * * *");
    assertEquals(
        List.of(
            "2026-11-01T05:00:00Z",
            "2026-11-01T05:30:00Z",
            "2026-11-01T06:00:00Z",
            "2026-11-01T06:30:00Z",
            "2026-11-01T07:00:00Z"),
        ticks(spec, "2026-11-01T04:45:00Z", 5));
  }

  @Test
  void an_impossible_date_has_no_tick() {
    assertEquals(
        OptionalLong.empty(), CronSpec.parse("0 0 30 2 *").nextAfter(ms("2026-01-01T00:00:00Z")));
  }

  private static List<String> ticks(CronSpec spec, String from, int n) {
    List<String> out = new ArrayList<>();
    long t = ms(from);
    for (int i = 0; i < n; i++) {
      t = spec.nextAfter(t).getAsLong();
      out.add(Instant.ofEpochMilli(t).toString());
    }
    return out;
  }

  static long ms(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }
}
