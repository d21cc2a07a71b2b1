package dev.ferry.model;

import com.cronutils.descriptor.CronDescriptor;
import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A parsed {@code Upstash-Cron} value (docs/compatibility.md#schedules): five fields (minute hour
 * day-of-month month day-of-week) in the UNIX dialect of cron-utils, evaluated in UTC or in the
 * zone of a {@code CRON_TZ=<IANA zone>} prefix. Immutable and thread-safe; built by the schedules
 * API (which answers 400 with the message of a refusal) and the cron verticle. A pure value like
 * {@link RetryDelayExpression}, so it lives in {@code model}; its one outside dependency is
 * cron-utils.
 *
 * <p>Decisions: the descriptors {@code @yearly @annually @monthly @weekly @daily @midnight @hourly}
 * are accepted as their standard five-field meaning; {@code @every <duration>} and {@code @reboot}
 * are refused, as are six-field (seconds) expressions and Quartz extras ({@code ? L W #}).
 * Daylight-saving time is what cron-utils does, pinned by {@code CronSpecTest}: a local time
 * skipped by a spring-forward does not fire that day; a fixed local time repeated by a fall-back
 * fires once (its first occurrence); an expression with a wildcard or step in the hour field fires
 * in both occurrences of the repeated hour (every real period).
 */
public final class CronSpec {
  private static final String TZ_PREFIX = "CRON_TZ=";
  private static final String LEGACY_TZ_PREFIX = "TZ=";
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final Map<String, String> DESCRIPTORS =
      Map.of(
          "@yearly",
          "0 0 1 1 *",
          "@annually",
          "0 0 1 1 *",
          "@monthly",
          "0 0 1 * *",
          "@weekly",
          "0 0 * * 0",
          "@daily",
          "0 0 * * *",
          "@midnight",
          "0 0 * * *",
          "@hourly",
          "0 * * * *");

  /** A fixed time at which a freshly parsed spec is evaluated once. */
  private static final Instant PROBE = Instant.parse("2026-01-01T00:00:00Z");

  private final String expression;
  private final ZoneId zone;
  private final ExecutionTime times;
  private final Cron cron;

  private CronSpec(String expression, ZoneId zone, Cron cron, ExecutionTime times) {
    this.expression = expression;
    this.zone = zone;
    this.cron = cron;
    this.times = times;
  }

  /**
   * Parses a cron value; surrounding whitespace is trimmed (QStash stores {@code "*}{@code /10 * *
   * * * "} as {@code "*}{@code /10 * * * *"}).
   *
   * @throws IllegalArgumentException with a message starting {@code Invalid cron expression}
   */
  public static CronSpec parse(String value) {
    String expression = value == null ? "" : value.trim();
    if (expression.isEmpty()) {
      throw invalid("empty spec string");
    }
    String fields = expression;
    ZoneId zone = ZoneOffset.UTC;
    String prefix =
        fields.startsWith(TZ_PREFIX)
            ? TZ_PREFIX
            : fields.startsWith(LEGACY_TZ_PREFIX) ? LEGACY_TZ_PREFIX : null;
    if (prefix != null) {
      int space = firstWhitespace(fields);
      if (space < 0) {
        throw invalid("missing fields after " + fields);
      }
      String name = fields.substring(prefix.length(), space);
      try {
        zone = ZoneId.of(name);
      } catch (DateTimeException e) {
        throw invalid("unknown time zone \"" + shown(name) + "\"");
      }
      fields = fields.substring(space).trim();
    }
    fields = fields.replaceAll("\\s+", " ");
    if (fields.startsWith("@")) {
      String standard = DESCRIPTORS.get(fields.toLowerCase(Locale.ROOT));
      if (standard == null) {
        throw invalid(
            "unsupported descriptor \""
                + shown(fields)
                + "\" (use five fields, or one of "
                + "@yearly @annually @monthly @weekly @daily @midnight @hourly)");
      }
      fields = standard;
    }
    Cron cron;
    ExecutionTime times;
    try {
      cron = PARSER.parse(fields);
      times = ExecutionTime.forCron(cron);
      times.nextExecution(
          PROBE.atZone(zone)); // evaluation must work too: the cron verticle relies on it
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    } catch (RuntimeException e) {
      // cron-utils has crashed on odd input (fuzzing found "0 0 30 | *":
      // ArrayIndexOutOfBoundsException); such a spec is refused like any other, never a 500
      throw invalid("\"" + shown(fields) + "\"");
    }
    return new CronSpec(expression, zone, cron, times);
  }

  /** The value as given, trimmed: what the schedule stores and shows. */
  public String expression() {
    return expression;
  }

  public ZoneId zone() {
    return zone;
  }

  /**
   * The fields in English words ("every 5 minutes"), for people; the expression itself when words
   * fail.
   */
  public String describe() {
    try {
      return CronDescriptor.instance(Locale.UK).describe(cron);
    } catch (RuntimeException e) {
      return expression;
    }
  }

  /**
   * The first tick strictly after {@code millis} (Unix ms), or empty if there is none (e.g. {@code
   * 0 0 30 2 *}).
   */
  public OptionalLong nextAfter(long millis) {
    return millis(times.nextExecution(at(millis)));
  }

  /** The latest tick at or before {@code millis}, or empty if there is none. */
  public OptionalLong latestAtOrBefore(long millis) {
    // cron-utils' lastExecution is strictly before its argument, at whole seconds: ask a second
    // later, step back
    OptionalLong candidate = millis(times.lastExecution(at(millis + 1000)));
    if (candidate.isPresent() && candidate.getAsLong() > millis) {
      candidate = millis(times.lastExecution(at(candidate.getAsLong())));
    }
    return candidate;
  }

  private ZonedDateTime at(long millis) {
    return Instant.ofEpochMilli(millis).atZone(zone);
  }

  private static OptionalLong millis(Optional<ZonedDateTime> time) {
    return time.map(t -> OptionalLong.of(t.toInstant().toEpochMilli()))
        .orElse(OptionalLong.empty());
  }

  private static int firstWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  private static IllegalArgumentException invalid(String why) {
    return new IllegalArgumentException("Invalid cron expression " + why);
  }

  private static String shown(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }
}
