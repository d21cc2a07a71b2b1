package dev.ferry.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.LongRange;

/**
 * Properties of cron schedules: a generated five-field spec parses, its next tick is strictly after
 * the given time, on a whole minute, matches every field (in the spec's zone), and no matching
 * minute is skipped before it; the latest tick at or before a time agrees with the next one. Any
 * other string is parsed or cleanly refused.
 */
class CronSpecPropertyTest {
  private static final long MINUTE = 60_000;
  private static final long Y2000 = 946_684_800_000L;
  private static final long Y2100 = 4_102_444_800_000L;

  /**
   * One field: its text, the values it allows, and whether it was written as an unrestricted {@code
   * *}.
   */
  record Field(String text, Set<Integer> values, boolean star) {}

  /** A spec and what it means. */
  record Spec(
      String text, Field minute, Field hour, Field dom, Field month, Field dow, ZoneId zone) {
    boolean matches(long millis) {
      ZonedDateTime t = Instant.ofEpochMilli(millis).atZone(zone);
      if (t.getSecond() != 0 || t.getNano() != 0) return false;
      if (!minute.values.contains(t.getMinute())
          || !hour.values.contains(t.getHour())
          || !month.values.contains(t.getMonthValue())) {
        return false;
      }
      boolean domOk = dom.values.contains(t.getDayOfMonth());
      boolean dowOk = dow.values.contains(t.getDayOfWeek().getValue() % 7);
      // Vixie cron: with both day fields restricted a day matching either is enough
      return dom.star || dow.star ? domOk && dowOk : domOk || dowOk;
    }
  }

  @Property(tries = 250)
  void the_next_tick_is_after_the_time_matches_the_spec_and_skips_nothing(
      @ForAll("specs") Spec spec, @ForAll @LongRange(min = Y2000, max = Y2100) long now) {
    CronSpec cron = CronSpec.parse(spec.text());
    OptionalLong next = cron.nextAfter(now);
    if (next.isEmpty()) return; // e.g. 30 February: no tick ever
    long n = next.getAsLong();
    assertTrue(n > now, spec.text() + ": next " + n + " not after " + now);
    assertTrue(
        spec.matches(n),
        spec.text() + ": next tick " + Instant.ofEpochMilli(n) + " does not match");
    if (spec.zone().equals(ZoneOffset.UTC) && n - now <= 3 * 24 * 60 * MINUTE) {
      for (long m = (now / MINUTE + 1) * MINUTE; m < n; m += MINUTE) {
        assertFalse(
            spec.matches(m),
            spec.text()
                + ": skipped "
                + Instant.ofEpochMilli(m)
                + " before "
                + Instant.ofEpochMilli(n));
      }
    }
    OptionalLong latest = cron.latestAtOrBefore(now);
    if (latest.isPresent() && spec.zone().equals(ZoneOffset.UTC)) {
      assertTrue(latest.getAsLong() <= now && spec.matches(latest.getAsLong()), spec.text());
      assertEquals(
          n,
          cron.nextAfter(latest.getAsLong()).getAsLong(),
          spec.text() + ": a tick between latest and next");
    }
  }

  @Property(tries = 2000)
  void any_string_is_parsed_or_refused_with_the_qstash_prefix(@ForAll("cronish") String input) {
    CronSpec spec;
    try {
      spec = CronSpec.parse(input);
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage().startsWith("Invalid cron expression"), e.getMessage());
      return;
    }
    assertEquals(input.trim(), spec.expression());
    OptionalLong next = spec.nextAfter(Y2000);
    assertTrue(next.isEmpty() || next.getAsLong() > Y2000);
  }

  @Provide
  Arbitrary<Spec> specs() {
    Arbitrary<ZoneId> zone =
        Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.just((ZoneId) ZoneOffset.UTC)),
            Tuple.of(
                1,
                Arbitraries.of(
                        "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe")
                    .map(ZoneId::of)));
    return Combinators.combine(
            field(0, 59), field(0, 23), field(1, 31), field(1, 12), field(0, 6), zone)
        .as(
            (mi, h, d, mo, w, z) -> {
              String fields =
                  mi.text() + " " + h.text() + " " + d.text() + " " + mo.text() + " " + w.text();
              return new Spec(
                  z.equals(ZoneOffset.UTC) ? fields : "CRON_TZ=" + z.getId() + " " + fields,
                  mi,
                  h,
                  d,
                  mo,
                  w,
                  z);
            });
  }

  private static Arbitrary<Field> field(int min, int max) {
    Arbitrary<Integer> value = Arbitraries.integers().between(min, max);
    Arbitrary<Field> star = Arbitraries.just(new Field("*", range(min, max, 1), true));
    Arbitrary<Field> single = value.map(v -> new Field(Integer.toString(v), Set.of(v), false));
    Arbitrary<Field> stepped =
        Arbitraries.integers()
            .between(2, Math.max(2, (max - min) / 2))
            .map(k -> new Field("*/" + k, range(min, max, k), false));
    Arbitrary<Field> span =
        Combinators.combine(value, value, Arbitraries.integers().between(1, 5))
            .as(
                (a, b, k) -> {
                  int lo = Math.min(a, b);
                  int hi = Math.max(a, b);
                  return k == 1
                      ? new Field(lo + "-" + hi, range(lo, hi, 1), false)
                      : new Field(lo + "-" + hi + "/" + k, range(lo, hi, k), false);
                });
    Arbitrary<Field> list =
        value
            .set()
            .ofMinSize(2)
            .ofMaxSize(4)
            .map(
                s ->
                    new Field(
                        String.join(",", s.stream().sorted().map(String::valueOf).toList()),
                        new TreeSet<>(s),
                        false));
    return Arbitraries.oneOf(star, single, stepped, span, list);
  }

  private static Set<Integer> range(int from, int to, int step) {
    Set<Integer> s = new TreeSet<>();
    for (int v = from; v <= to; v += step) s.add(v);
    return s;
  }

  @Provide
  Arbitrary<String> cronish() {
    Arbitrary<String> tokens =
        Arbitraries.of(
            "*",
            "*/5",
            "0",
            "59",
            "60",
            "-1",
            "1-5",
            "5-1",
            "1,2",
            ",",
            "/",
            "/0",
            "?",
            "L",
            "W",
            "#",
            "JAN",
            "MON",
            "@daily",
            "@every 5m",
            "@reboot",
            "CRON_TZ=",
            "CRON_TZ=Europe/Berlin",
            "TZ=Nope/Zone",
            "TZ=UTC",
            " ",
            "  ",
            "\t",
            "\n",
            "\u0000",
            "٣",
            "99999999999",
            "0-59/99");
    return Arbitraries.frequencyOf(
        Tuple.of(8, tokens.list().ofMaxSize(12).map(l -> String.join(" ", l))),
        Tuple.of(1, tokens.list().ofMaxSize(12).map(l -> String.join("", l))),
        Tuple.of(1, Arbitraries.strings().ofMaxLength(40)));
  }
}
