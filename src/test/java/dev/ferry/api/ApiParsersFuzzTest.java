package dev.ferry.api;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided fuzz targets (Jazzer; docs/architecture.md#hostile-input-and-parsers) for the
 * API's header durations and destination URLs. Under plain {@code mvn test} each target replays its
 * checked-in corpus ({@code ApiParsersFuzzTestInputs/<target>/}) in regression mode; {@code
 * JAZZER_FUZZ=1} fuzzes one target for its {@code maxDuration} (docs/operations.md#hostile-input).
 * Any exception other than the parser's documented refusal, or a broken invariant, is a finding.
 */
@Tag("fuzz")
class ApiParsersFuzzTest {

  @FuzzTest(maxDuration = "5m")
  void durations(byte[] input) {
    String s = new String(input, StandardCharsets.UTF_8);
    Duration d;
    try {
      d = Durations.parse(s);
    } catch (IllegalArgumentException e) {
      check(
          e.getMessage().startsWith("invalid duration"),
          "refusal without the prefix: " + e.getMessage());
      return;
    }
    check(!d.isNegative() && d.compareTo(Durations.MAX) <= 0, "out of bounds: " + d);
    check(d.equals(Durations.parse(d.toNanos() + "ns")), "does not read back in nanoseconds: " + d);
  }

  @FuzzTest(maxDuration = "5m")
  void destinations(byte[] input) {
    String s = new String(input, StandardCharsets.UTF_8);
    String accepted = null;
    try {
      accepted = DestinationPath.validateUrl(s);
    } catch (IllegalArgumentException e) {
      check(
          e.getMessage().startsWith("invalid destination url: "),
          "refusal without the prefix: " + e.getMessage());
      String cached = null;
      try {
        cached = new ValidatedUrls().apply(s);
      } catch (IllegalArgumentException again) {
        check(
            again.getMessage().equals(e.getMessage()), "the cached validator refuses differently");
      }
      check(cached == null, "the cached validator accepts what validation refuses");
    }
    if (accepted != null) {
      String lower = accepted.toLowerCase(Locale.ROOT);
      check(
          lower.startsWith("http://") || lower.startsWith("https://"), "not http(s): " + accepted);
      check(accepted.length() <= DestinationPath.MAX_URL_LENGTH, "too long");
      check(
          accepted.chars().allMatch(c -> c > 0x20 && c < 0x7f), "not printable ASCII: " + accepted);
      check(accepted.equals(DestinationPath.validateUrl(accepted)), "validation is not idempotent");
      RequestOptions dispatch =
          new RequestOptions().setAbsoluteURI(accepted); // the delivery client's parser
      check(
          dispatch.isSsl() == lower.startsWith("https://"), "the delivery client disagrees on TLS");
    }
    try {
      DestinationPath path =
          DestinationPath.parse(DestinationPath.PUBLISH_PREFIX + s, DestinationPath.PUBLISH_PREFIX);
      if (path.isUrl()) {
        check(
            path.url().equals(DestinationPath.validateUrl(path.url())),
            "a parsed destination fails validation");
      } else {
        check(
            DestinationPath.isValidName(path.urlGroup()), "an invalid URL-group name got through");
      }
    } catch (IllegalArgumentException e) {
      check(e.getMessage() != null, "refusal without a message");
    }
  }

  static void check(boolean condition, String finding) {
    if (!condition) throw new AssertionError(finding);
  }
}
