package dev.ferry.api.publish;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ferry.config.FerryConfig;
import dev.ferry.error.ApiException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided fuzz targets (Jazzer; docs/architecture.md#hostile-input-and-parsers) for the
 * batch body and the scheduling headers of a publish; corpus in {@code
 * PublishParsersFuzzTestInputs/<target>/}. See {@code ApiParsersFuzzTest} for how they run.
 */
@Tag("fuzz")
class PublishParsersFuzzTest {
  private static final FerryConfig.Limits LIMITS = FerryConfig.defaults().limits();
  private static final long NOW = 1_767_225_600_000L;
  private static final List<String> HEADERS =
      List.of(
          UpstashHeaders.RETRIES,
          UpstashHeaders.DELAY,
          UpstashHeaders.NOT_BEFORE,
          UpstashHeaders.TIMEOUT,
          UpstashHeaders.RETRY_DELAY,
          UpstashHeaders.METHOD,
          UpstashHeaders.LABEL,
          "upstash-forward-x",
          "upstash-callback",
          "upstash-flow-control-key");

  @FuzzTest(maxDuration = "5m")
  void batchBodies(byte[] input) {
    List<BatchEntry> entries;
    try {
      entries = BatchJson.parse(Buffer.buffer(input), 100);
    } catch (ApiException e) {
      check(e.status() == 400, "status " + e.status());
      return;
    }
    check(entries.size() <= 100, "more entries than the limit");
    check(
        entries.equals(BatchEntryReference.of(new JsonArray(Buffer.buffer(input)))),
        "Vert.x reads the accepted body differently");
  }

  /**
   * First byte picks the header (the value goes to a second one, too, when the second byte is odd).
   */
  @FuzzTest(maxDuration = "5m")
  void configHeaders(byte[] input) {
    if (input.length < 2) return;
    String header = HEADERS.get(Math.floorMod(input[0], HEADERS.size()));
    String value = new String(Arrays.copyOfRange(input, 2, input.length), StandardCharsets.UTF_8);
    Map<String, List<String>> headers = new HashMap<>();
    headers.put(header, List.of(value));
    if ((input[1] & 1) == 1)
      headers.put(HEADERS.get(Math.floorMod(input[1] >> 1, HEADERS.size())), List.of(value));
    PublishOptions options;
    try {
      options = PublishOptions.parse(headers, false, LIMITS, NOW);
    } catch (ApiException e) {
      check(e.status() == 400 && e.getMessage() != null, "status " + e.status());
      return;
    }
    check(
        options.maxRetries() >= 0 && options.maxRetries() <= LIMITS.maxRetries(),
        "retries " + options.maxRetries());
    check(
        options.notBefore() >= 0 && options.notBefore() - NOW <= LIMITS.maxDelay().toMillis(),
        "not before");
    check(options.timeoutMillis() >= 0, "timeout");
    options
        .headers()
        .forEach(
            (name, values) ->
                values.forEach(
                    v ->
                        check(
                            v.chars().noneMatch(c -> c == '\r' || c == '\n' || c == 0),
                            "a control character reached a forwarded header: " + name)));
  }

  static void check(boolean condition, String finding) {
    if (!condition) throw new AssertionError(finding);
  }
}
