package dev.ferry.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.delivery.RetryPolicy.Decision;
import dev.ferry.delivery.RetryPolicy.Decision.Outcome;
import dev.ferry.model.RetryDelayExpression;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryPolicyTest {
  /** 2030-03-17T17:46:40Z, a Sunday. */
  private static final long NOW = 1_900_000_000_000L;

  private static final long DAY = 86_400_000L;
  private static final long FIRST_BACKOFF = 12_182L;

  private static Decision decide(
      int maxRetries, int retried, int status, Map<String, List<String>> headers) {
    return RetryPolicy.decide(maxRetries, retried, null, status, headers, NOW);
  }

  private static Map<String, List<String>> header(String name, String... values) {
    return Map.of(name, List.of(values));
  }

  /** Delay the policy picks for a first retry after a 429 with the given single header. */
  private static long delayWith(String name, String value) {
    Decision d = decide(3, 0, 429, header(name, value));
    assertTrue(d.retry());
    return d.retryAt() - NOW;
  }

  // ---- default backoff
  // -----------------------------------------------------------------------------------

  @ParameterizedTest(name = "retry {0} after {1} ms")
  @CsvSource({
    "1, 12182",
    "2, 148413",
    "3, 1808042",
    "4, 22026466",
    "5, 86400000",
    "6, 86400000",
    "100, 86400000",
    "2147483647, 86400000"
  })
  void default_backoff_is_e_to_the_2_5n_seconds_capped_at_a_day(int retryNumber, long millis) {
    assertEquals(millis, RetryPolicy.defaultBackoffMillis(retryNumber));
  }

  @Test
  void default_backoff_numbers_start_at_one() {
    assertThrows(IllegalArgumentException.class, () -> RetryPolicy.defaultBackoffMillis(0));
  }

  @Test
  void uses_default_backoff_for_retry_number_retried_plus_one() {
    assertEquals(Decision.retryAt(NOW + 12_182), decide(3, 0, 500, Map.of()));
    assertEquals(Decision.retryAt(NOW + 148_413), decide(3, 1, 500, Map.of()));
    assertEquals(Decision.retryAt(NOW + 1_808_042), decide(3, 2, 500, Map.of()));
    assertEquals(Decision.retryAt(NOW + DAY), decide(20, 10, 503, null));
  }

  @Test
  void a_transport_error_is_retried_like_any_failure() {
    assertEquals(Decision.retryAt(NOW + FIRST_BACKOFF), decide(3, 0, 0, Map.of()));
  }

  @Test
  void redirects_and_client_errors_are_failures_too() {
    assertEquals(Decision.retryAt(NOW + FIRST_BACKOFF), decide(3, 0, 302, Map.of()));
    assertEquals(Decision.retryAt(NOW + FIRST_BACKOFF), decide(3, 0, 404, Map.of()));
  }

  // ---- exhaustion
  // ----------------------------------------------------------------------------------------

  @Test
  void fails_when_retries_are_exhausted() {
    assertEquals(Decision.fail(Outcome.RETRIES_EXHAUSTED), decide(3, 3, 500, Map.of()));
    assertEquals(Decision.fail(Outcome.RETRIES_EXHAUSTED), decide(0, 0, 500, Map.of()));
    assertEquals(Decision.fail(Outcome.RETRIES_EXHAUSTED), decide(3, 7, 500, Map.of()));
  }

  @Test
  void a_header_driven_retry_still_counts_against_the_retries() {
    assertEquals(
        Decision.fail(Outcome.RETRIES_EXHAUSTED), decide(2, 2, 429, header("Retry-After", "0")));
  }

  // ---- non-retryable
  // -------------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Upstash-NonRetryable-Error",
        "Upstash-Nonretryable-Error",
        "upstash-nonretryable-error"
      })
  void status_489_with_the_header_fails_at_once(String name) {
    assertEquals(Decision.fail(Outcome.NON_RETRYABLE), decide(3, 0, 489, header(name, "true")));
  }

  @Test
  void non_retryable_value_is_trimmed_and_case_insensitive() {
    assertEquals(
        Outcome.NON_RETRYABLE,
        decide(3, 0, 489, header("Upstash-Nonretryable-Error", " TRUE ")).outcome());
    assertEquals(
        Outcome.NON_RETRYABLE,
        decide(3, 0, 489, header("Upstash-Nonretryable-Error", "false", "true")).outcome());
  }

  @Test
  void non_retryable_wins_over_exhaustion() {
    assertEquals(
        Outcome.NON_RETRYABLE,
        decide(3, 3, 489, header("Upstash-Nonretryable-Error", "true")).outcome());
  }

  @Test
  void status_489_alone_or_the_header_alone_is_an_ordinary_failure() {
    assertEquals(Decision.retryAt(NOW + FIRST_BACKOFF), decide(3, 0, 489, Map.of()));
    Decision expected = Decision.retryAt(NOW + FIRST_BACKOFF);
    assertEquals(expected, decide(3, 0, 489, header("Upstash-Nonretryable-Error", "false")));
    assertEquals(expected, decide(3, 0, 500, header("Upstash-Nonretryable-Error", "true")));
  }

  // ---- expression
  // ----------------------------------------------------------------------------------------

  @Test
  void uses_the_expression_with_retries_already_done() {
    RetryDelayExpression e = RetryDelayExpression.parse("1000 * (1 + retried)");
    assertEquals(Decision.retryAt(NOW + 1_000), RetryPolicy.decide(3, 0, e, 500, Map.of(), NOW));
    assertEquals(Decision.retryAt(NOW + 3_000), RetryPolicy.decide(3, 2, e, 500, Map.of(), NOW));
  }

  @Test
  void an_expression_giving_zero_retries_immediately() {
    RetryDelayExpression e = RetryDelayExpression.parse("0");
    assertEquals(Decision.retryAt(NOW), RetryPolicy.decide(3, 0, e, 500, Map.of(), NOW));
  }

  @Test
  void response_headers_beat_the_expression() {
    RetryDelayExpression e = RetryDelayExpression.parse("1000");
    assertEquals(
        Decision.retryAt(NOW + 30_000),
        RetryPolicy.decide(3, 0, e, 429, header("Retry-After", "30"), NOW));
    assertEquals(
        Decision.retryAt(NOW + 1_000),
        RetryPolicy.decide(3, 0, e, 429, header("Retry-After", "tomorrow"), NOW));
  }

  // ---- response headers
  // ----------------------------------------------------------------------------------

  @ParameterizedTest(name = "Retry-After: {0} -> {1} ms")
  @CsvSource(
      delimiter = ';',
      value = {
        "0; 0",
        "120; 120000",
        "1.5; 1500",
        "0.0001; 1",
        " 7 ; 7000",
        "86400; 86400000",
        "6m5s; 365000",
        "1h; 3600000",
        "1.5s; 1500",
        "65.379s; 65379",
        "16.504m; 990240",
        "0.5ns; 1",
        ".5s; 500",
        "250ms; 250",
        "1500us; 2",
        "1500\u00b5s; 2",
        "1500\u03bcs; 2",
        "100ns; 1",
        "1h30m; 5400000",
        "24h; 86400000",
        "Sun, 17 Mar 2030 17:48:10 GMT; 90000",
        "17 Mar 2030 17:48:10 GMT; 90000",
        "Sun, 17 Mar 2030 17:45:40 GMT; 0",
        "Mon, 18 Mar 2030 17:46:40 GMT; 86400000",
      })
  void honours_seconds_dates_and_go_durations(String value, long millis) {
    assertEquals(millis, delayWith("Retry-After", value));
  }

  @ParameterizedTest(name = "Retry-After: \"{0}\" is ignored")
  @ValueSource(
      strings = {
        "",
        "  ",
        "-5",
        "-1s",
        "86401",
        "86400.001",
        "24h1s",
        "25h",
        "1d",
        "1H",
        "5S",
        "abc",
        "1.2.3",
        "1.2.3s",
        ".",
        "5.",
        ".5",
        "1e3",
        "+5",
        "5s-",
        "Mon, 18 Mar 2030 17:46:41 GMT",
        "Mon, 32 Mar 2030 17:46:41 GMT",
        "1900000090",
        "NaN",
        "Infinity",
        "0x10",
        "1111111111111111111111111111111111111111111111111111111111111111111"
      })
  void ignores_invalid_or_too_large_values_and_falls_back(String value) {
    assertEquals(FIRST_BACKOFF, delayWith("Retry-After", value));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Retry-After",
        "retry-after",
        "X-RateLimit-Reset",
        "X-Ratelimit-Reset",
        "x-ratelimit-reset-requests",
        "X-Ratelimit-Reset-Requests",
        "X-Ratelimit-Reset-Tokens"
      })
  void reads_every_rate_limit_header_in_any_case(String name) {
    assertEquals(42_000, delayWith(name, "42"));
  }

  @Test
  void ignores_other_headers() {
    assertEquals(FIRST_BACKOFF, delayWith("X-RateLimit-Remaining", "42"));
    assertEquals(FIRST_BACKOFF, delayWith("RateLimit-Reset", "42"));
  }

  @Test
  void takes_the_largest_valid_value() {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Retry-After", List.of("10"));
    headers.put("X-Ratelimit-Reset-Requests", List.of("6m0s"));
    headers.put("X-Ratelimit-Reset-Tokens", List.of("garbage"));
    headers.put("X-Ratelimit-Reset", List.of("90000"));
    assertEquals(Decision.retryAt(NOW + 360_000), decide(3, 0, 429, headers));
    assertEquals(
        Decision.retryAt(NOW + 7_000), decide(3, 0, 429, header("Retry-After", "5", "7", "x")));
  }

  @Test
  void tolerates_null_names_lists_and_values() {
    Map<String, List<String>> headers = new HashMap<>();
    headers.put(null, List.of("5"));
    headers.put("Retry-After", Arrays.asList(null, "3"));
    headers.put("X-Ratelimit-Reset", null);
    headers.put("Upstash-Nonretryable-Error", Arrays.asList((String) null));
    assertEquals(Decision.retryAt(NOW + 3_000), decide(3, 0, 489, headers));
    assertEquals(OptionalLong.empty(), RetryPolicy.headerDelayMillis(null, NOW));
    assertEquals(OptionalLong.empty(), RetryPolicy.headerDelayMillis(Map.of(), NOW));
  }

  // ---- argument checks
  // -----------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(ints = {200, 201, 204, 299})
  void refuses_a_success_status(int status) {
    assertThrows(IllegalArgumentException.class, () -> decide(3, 0, status, Map.of()));
  }

  @Test
  void refuses_negative_counts() {
    assertThrows(IllegalArgumentException.class, () -> decide(-1, 0, 500, Map.of()));
    assertThrows(IllegalArgumentException.class, () -> decide(3, -1, 500, Map.of()));
  }

  @Test
  void decision_helpers() {
    assertTrue(Decision.retryAt(5).retry());
    assertEquals(5, Decision.retryAt(5).retryAt());
    assertFalse(Decision.fail(Outcome.NON_RETRYABLE).retry());
    assertThrows(IllegalArgumentException.class, () -> Decision.fail(Outcome.RETRY));
  }
}
