package dev.ferry.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HeaderNamesTest {

  // Expected values follow the algorithm of Go's textproto.CanonicalMIMEHeaderKey (go1.22 source),
  // traced by hand.
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "content-type, Content-Type",
    "CONTENT-TYPE, Content-Type",
    "Content-Type, Content-Type",
    "cOnTeNt-tYpE, Content-Type",
    "x-ratelimit-reset, X-Ratelimit-Reset",
    "X-RateLimit-Reset, X-Ratelimit-Reset",
    "upstash-nonretryable-error, Upstash-Nonretryable-Error",
    "bypass-tunnel-reminder, Bypass-Tunnel-Reminder",
    "user-agent, User-Agent",
    "etag, Etag",
    "www-authenticate, Www-Authenticate",
    "x-1abc, X-1abc",
    "x--y, X--Y",
    "-x, -X",
    "x-, X-",
    "foo_bar, Foo_bar",
    "foo.bar-baz, Foo.bar-Baz",
    "a, A",
    "1a, 1a",
    "x-b!c#d, X-B!c#d",
  })
  void canonicalises_like_go(String input, String expected) {
    assertEquals(expected, HeaderNames.canonical(input));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "content type",
        "x-foo ",
        " x-foo",
        "x:foo",
        "x(foo)",
        "x\"foo",
        "x/foo",
        "x@foo",
        "x{foo}",
        "x;foo",
        "x=foo",
        "x\tfoo",
        "x\u0000foo",
        "x\r\nfoo",
        "caf\u00e9-name",
        "x-\u00fcber",
        "emoji-\ud83d\ude00"
      })
  void returns_names_that_are_not_tokens_unchanged(String input) {
    assertSame(input, HeaderNames.canonical(input));
  }

  @Test
  void returns_already_canonical_names_without_copying() {
    String name = "Upstash-Forward-X-Custom";
    assertSame(name, HeaderNames.canonical(name));
  }

  @Test
  void keeps_empty_and_null() {
    assertEquals("", HeaderNames.canonical(""));
    assertNull(HeaderNames.canonical(null));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Content-Type",
        "x",
        "X-Custom_Header",
        "a.b",
        "!#$%&'*+-.^_`|~",
        "0123456789",
        "UPPER"
      })
  void accepts_token_names(String name) {
    assertTrue(HeaderNames.isValidName(name));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", "a b", "a:b", "a\r\nb", "a\nb", "a\u0000", "x(y)", "x<y>", "x@y", "x,y", "x;y", "x=y",
        "x?y", "x/y", "x\\y", "x[y]", "x{y}", "x\"y", "\u00e9", "x\u007f", "x\ty"
      })
  void rejects_non_token_names(String name) {
    assertFalse(HeaderNames.isValidName(name));
  }

  @Test
  void rejects_null_name() {
    assertFalse(HeaderNames.isValidName(null));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "plain",
        "with space",
        "tab\there",
        "a=b; c=d",
        "\"quoted\"",
        "caf\u00e9",
        "\u00ff",
        "\u0080",
        "\u20ac euro",
        "emoji \ud83d\ude00",
        "!~`"
      })
  void accepts_safe_values(String value) {
    assertTrue(HeaderNames.isValidValue(value));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a\r\nX-Evil: 1",
        "a\rb",
        "a\nb",
        "a\u0000b",
        "\u0000",
        "a\u0001",
        "a\u001b[31m",
        "a\u000bb",
        "a\u000cb",
        "a\u007fb",
        "\r\n\r\nGET / HTTP/1.1"
      })
  void rejects_values_that_could_inject_headers(String value) {
    assertFalse(HeaderNames.isValidValue(value));
  }

  @Test
  void rejects_null_value() {
    assertFalse(HeaderNames.isValidValue(null));
  }
}
