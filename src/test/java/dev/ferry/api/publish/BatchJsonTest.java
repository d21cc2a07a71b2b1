package dev.ferry.api.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.error.ApiException;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The batch reader's entries, read without a tree: bodies, escapes, header maps and the problems
 * left for the handler (docs/compatibility.md#batch-bodies). The properties against a general JSON
 * reader are in {@link BatchJsonPropertyTest}.
 */
class BatchJsonTest {
  private static List<BatchEntry> read(String body) {
    return BatchJson.parse(Buffer.buffer(body), 100);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void a_body_is_its_utf8_bytes_wherever_the_whitespace_is() {
    assertArrayEquals(utf8("héllo wörld ✓"), read("[{\"body\":\"héllo wörld ✓\"}]").get(0).body());
    assertArrayEquals(
        utf8("x"),
        read("[ {\n\t\"destination\" : \"d\" ,\r\n \"body\"  :\n  \"x\" } ]").get(0).body());
    assertArrayEquals(utf8(""), read("[{\"body\":\"\"}]").get(0).body());
  }

  @Test
  void a_body_with_escapes_is_decoded() {
    assertArrayEquals(
        utf8("a\"b\\c\nd/é\uD83D\uDE00"),
        read("[{\"body\":\"a\\\"b\\\\c\\nd\\/\\u00e9\\ud83d\\ude00\"}]").get(0).body());
  }

  @Test
  void two_character_escapes_are_decoded() {
    assertArrayEquals(
        utf8("{\"k\":\"v\\/\"}\b\f\n\r\t/ü"),
        read("[{\"body\":\"{\\\"k\\\":\\\"v\\\\\\/\\\"}\\b\\f\\n\\r\\t\\/ü\"}]").get(0).body());
  }

  @Test
  void an_unknown_escape_refuses_the_batch() {
    assertMalformed("[{\"body\":\"a\\xb\"}]");
  }

  @Test
  void a_raw_control_character_in_a_body_refuses_the_batch() {
    assertMalformed("[{\"body\":\"a\u0001b\"}]");
  }

  @Test
  void an_unterminated_body_refuses_the_batch() {
    assertMalformed("[{\"body\":\"abc");
  }

  private static void assertMalformed(String body) {
    ApiException e = assertThrows(ApiException.class, () -> read(body));
    assertEquals(400, e.status());
    assertTrue(e.getMessage().startsWith("malformed JSON"), e.getMessage());
  }

  @Test
  void each_field_keeps_its_problem_for_the_handler() {
    BatchEntry entry =
        read("[{\"body\":1,\"headers\":{\"A\":[\"x\",2],\"B\":null},\"queue\":3,\"other\":{}}]")
            .get(0);
    assertEquals("body must be a string, or a JSON object or array", entry.bodyError());
    assertEquals("headers.A: values must be strings", entry.headersError());
    assertEquals(3, entry.queue());
    assertEquals(null, entry.destination());
  }

  @Test
  void header_names_are_lower_cased_and_values_kept_in_order() {
    BatchEntry entry =
        read("[{\"headers\":{\"Upstash-Label\":\"a\",\"upstash-label\":[\"b\",\"c\"],\"X\":1.5}}]")
            .get(0);
    assertEquals(
        Map.of("upstash-label", List.of("a", "b", "c"), "x", List.of("1.5")), entry.headers());
  }

  @Test
  void an_element_that_is_no_object_is_read_and_marked() {
    List<BatchEntry> entries = read("[1,[{\"a\":2}],{\"destination\":\"d\"}]");
    assertEquals(BatchEntry.NOT_AN_OBJECT, entries.get(0));
    assertEquals(BatchEntry.NOT_AN_OBJECT, entries.get(1));
    assertEquals("d", entries.get(2).destination());
  }
}
