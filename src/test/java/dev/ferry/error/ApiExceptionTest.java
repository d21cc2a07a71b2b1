package dev.ferry.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An {@link ApiException} is always an error answer: a 4xx or 5xx status and a lower_snake code.
 */
class ApiExceptionTest {
  @ParameterizedTest
  @ValueSource(ints = {Integer.MIN_VALUE, -400, 0, 200, 302, 399, 600, 1000, Integer.MAX_VALUE})
  void a_status_outside_400_to_599_is_refused(int status) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new ApiException(status, "bad_request", "m"));
    assertEquals("status must be 400..599, got " + status, e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 404, 412, 500, 599})
  void a_status_from_400_to_599_is_kept(int status) {
    assertEquals(status, new ApiException(status, "some_code", "m").status());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Bad_Request",
        "bad-request",
        "bad request",
        "_bad",
        "bad_",
        "bad__request",
        "9bad"
      })
  void a_code_that_is_not_lower_snake_is_refused(String code) {
    assertThrows(IllegalArgumentException.class, () -> new ApiException(400, code, "m"));
  }

  @Test
  void a_null_code_is_refused() {
    assertThrows(IllegalArgumentException.class, () -> new ApiException(400, null, "m"));
  }

  @Test
  void the_factories_give_their_status_and_code() {
    assertEquals("400 bad_request", shown(ApiException.badRequest("m")));
    assertEquals("401 unauthorized", shown(ApiException.unauthorized("m")));
    assertEquals("404 not_found", shown(ApiException.notFound("m")));
    assertEquals("412 queue_limit", shown(ApiException.limitReached("queue_limit", "m")));
    assertEquals("413 payload_too_large", shown(ApiException.payloadTooLarge("m")));
    assertEquals("m", ApiException.badRequest("m").getMessage());
  }

  @Test
  void it_carries_no_stack_trace() {
    assertEquals(0, ApiException.badRequest("m").getStackTrace().length);
  }

  private static String shown(ApiException e) {
    return e.status() + " " + e.code();
  }
}
