package dev.ferry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What a client is told about a malformed percent-escape, and that well-formed ones pass. */
class PercentEscapesTest {
  @ParameterizedTest
  @ValueSource(
      strings = {"", "/v2/queues/a", "%20", "/a%2f%2Fb", "%C3%28", "%FF%00", "100%25", "a+b"})
  void well_formed_escapes_pass(String s) {
    assertNull(PercentEscapes.firstMalformed(s));
    assertNull(PercentEscapes.problem(s, "path"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "%|%",
        "/x/%|%",
        "%z|%z",
        "%zz|%zz",
        "a%2|%2",
        "%u0041|%u0",
        "%%41|%%4",
        "/ok%20then%g1/%zz|%g1",
        "%2G|%2G",
        "%-1|%-1",
        "%+1|%+1"
      })
  void the_first_malformed_escape_is_shown_with_at_most_two_characters_after_the_percent(
      String s, String shown) {
    assertEquals(shown, PercentEscapes.firstMalformed(s));
  }

  @Test
  void characters_outside_printable_ascii_quotes_and_backslashes_are_shown_escaped() {
    assertEquals("%\\u0001x", PercentEscapes.firstMalformed("/%\u0001x"));
    assertEquals("%\\u00e9", PercentEscapes.firstMalformed("%\u00e9"));
    assertEquals("%\\u0022\\u005c", PercentEscapes.firstMalformed("%\"\\"));
    assertEquals("%\\u000d\\u000a", PercentEscapes.firstMalformed("%\r\n"));
  }

  @Test
  void the_problem_names_the_escape_and_where_it_is() {
    assertEquals(
        "invalid percent-escape \"%zz\" in the path",
        PercentEscapes.problem("/v2/publish/%zz", "path"));
    assertEquals(
        "invalid percent-escape \"%\" in the query", PercentEscapes.problem("cursor=%", "query"));
    assertNull(PercentEscapes.problem(null, "query"));
  }
}
