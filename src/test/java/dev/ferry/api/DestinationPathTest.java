package dev.ferry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DestinationPathTest {
  private static final String BAD_SCHEME =
      "invalid destination url: endpoint has invalid scheme, add http:// or https://";

  private static DestinationPath publish(String remainder) {
    return DestinationPath.parse("/v2/publish/" + remainder, DestinationPath.PUBLISH_PREFIX);
  }

  private static String publishError(String remainder) {
    return assertThrows(IllegalArgumentException.class, () -> publish(remainder)).getMessage();
  }

  private static String enqueueError(String rawUri) {
    return assertThrows(IllegalArgumentException.class, () -> DestinationPath.parseEnqueue(rawUri))
        .getMessage();
  }

  private static String urlError(String url) {
    return assertThrows(IllegalArgumentException.class, () -> DestinationPath.validateUrl(url))
        .getMessage();
  }

  // ---- publish: URL destinations
  // -------------------------------------------------------------------------

  @Test
  void keeps_a_plain_url_with_its_query_byte_for_byte() {
    DestinationPath d = publish("https://example.com/path/x?z=%20&a=b+c&m&a=2");
    assertEquals("https://example.com/path/x?z=%20&a=b+c&m&a=2", d.destination());
    assertTrue(d.isUrl());
    assertFalse(d.isUrlGroup());
    assertNull(d.queueName());
    assertNull(d.qstashToken());
    assertEquals(Map.of(), d.config());
    assertEquals(
        "https://e.com/a%2Fb%3F?x=%26&y=%2F",
        publish("https://e.com/a%2Fb%3F?x=%26&y=%2F").destination());
  }

  @Test
  void strips_token_and_upstash_params_and_keeps_the_rest_in_order() {
    DestinationPath d =
        publish(
            "https://example.com/hook?a=1&qstash_token=tok&upstash-retries=3&b=2&Upstash-Delay=100s&c");
    assertEquals("https://example.com/hook?a=1&b=2&c", d.destination());
    assertEquals("tok", d.qstashToken());
    assertEquals(List.of("upstash-retries", "upstash-delay"), List.copyOf(d.config().keySet()));
    assertEquals("3", d.config().get("upstash-retries"));
    assertEquals("100s", d.config().get("upstash-delay"));
  }

  @Test
  void drops_the_question_mark_when_no_parameter_remains() {
    assertEquals(
        "https://e.com/h",
        publish("https://e.com/h?qstash_token=t&upstash-header-forward=true").destination());
    assertEquals("https://e.com/h", publish("https://e.com/h?").destination());
    assertEquals("https://e.com/h", publish("https://e.com/h?qstash_token=t&").destination());
  }

  @Test
  void keeps_empty_segments_when_nothing_is_removed() {
    assertEquals("https://e.com/h?a=1&&b", publish("https://e.com/h?a=1&&b").destination());
  }

  @Test
  void matches_token_and_config_names_case_insensitively_and_decodes_names() {
    DestinationPath d =
        publish("https://e.com/?QSTASH_TOKEN=x&UPSTASH-RETRIES=1&upstash%2Dlabel=l&keep=1");
    assertEquals("https://e.com/?keep=1", d.destination());
    assertEquals("x", d.qstashToken());
    assertEquals(Map.of("upstash-retries", "1", "upstash-label", "l"), d.config());
  }

  @Test
  void first_occurrence_of_token_and_config_wins() {
    DestinationPath d =
        publish(
            "https://e.com/?qstash_token=first&qstash_token=second&upstash-retries=1"
                + "&upstash-retries=2");
    assertEquals("first", d.qstashToken());
    assertEquals("1", d.config().get("upstash-retries"));
    assertEquals("https://e.com/", d.destination());
  }

  @Test
  void decodes_token_keeping_plus_and_config_values_with_plus_as_space() {
    DestinationPath d =
        publish("https://e.com/?qstash_token=ab+c%3D%3D&upstash-label=a+b%2Cc&upstash-flag");
    assertEquals("ab+c==", d.qstashToken());
    assertEquals("a b,c", d.config().get("upstash-label"));
    assertEquals("", d.config().get("upstash-flag"));
  }

  @Test
  void keeps_params_that_merely_contain_upstash() {
    assertEquals(
        "https://e.com/?upstashx=1&x-upstash-y=2&qstash_tokens=3",
        publish("https://e.com/?upstashx=1&x-upstash-y=2&qstash_tokens=3").destination());
  }

  @Test
  void rejects_malformed_config_and_token_values() {
    assertEquals(
        "invalid query parameter \"upstash-delay\": malformed percent-encoding",
        publishError("https://e.com/?upstash-delay=%zz"));
    assertEquals(
        "invalid query parameter \"qstash_token\": malformed percent-encoding",
        publishError("https://e.com/?qstash_token=%"));
  }

  @Test
  void config_map_is_unmodifiable() {
    DestinationPath d = publish("https://e.com/?upstash-retries=1");
    assertThrows(UnsupportedOperationException.class, () -> d.config().put("x", "y"));
  }

  @Test
  void drops_a_fragment() {
    assertEquals("https://e.com/a?x=1", publish("https://e.com/a?x=1#frag").destination());
    DestinationPath d = publish("https://e.com/a#frag?qstash_token=t");
    assertEquals("https://e.com/a", d.destination());
    assertNull(d.qstashToken());
  }

  @Test
  void restores_a_collapsed_double_slash() {
    assertEquals("https://example.com/x?a=1", publish("https:/example.com/x?a=1").destination());
    assertEquals("http://e.com", publish("http:/e.com").destination());
    assertEquals("HTTPS://E.com/X", publish("HTTPS:/E.com/X").destination());
  }

  @Test
  void accepts_scheme_in_any_case_and_keeps_it() {
    assertEquals("HTTPS://Example.COM/X", publish("HTTPS://Example.COM/X").destination());
  }

  @Test
  void decodes_a_percent_encoded_destination_once() {
    assertEquals(
        "https://example.com/path?q=1",
        publish("https%3A%2F%2Fexample.com%2Fpath%3Fq%3D1").destination());
    assertEquals("https://example.com/p", publish("https%3a%2f%2fexample.com%2fp").destination());
    assertEquals("https://example.com/p", publish("https:%2F%2Fexample.com%2Fp").destination());
    assertEquals("http://e.com/a+b", publish("http%3A%2F%2Fe.com%2Fa+b").destination());
  }

  @Test
  void appends_remaining_outer_params_to_an_encoded_destination() {
    DestinationPath d = publish("https%3A%2F%2Fe.com%2Fp%3Fq%3D1?upstash-retries=1&z=2");
    assertEquals("https://e.com/p?q=1&z=2", d.destination());
    assertEquals("1", d.config().get("upstash-retries"));
    assertEquals("https://e.com/p?z=2", publish("https%3A%2F%2Fe.com%2Fp?z=2").destination());
  }

  @Test
  void leaves_params_inside_an_encoded_destination_alone() {
    DestinationPath d = publish("https%3A%2F%2Fe.com%2Fp%3Fupstash-retries%3D9");
    assertEquals("https://e.com/p?upstash-retries=9", d.destination());
    assertEquals(Map.of(), d.config());
  }

  @Test
  void drops_an_encoded_fragment() {
    assertEquals("https://e.com/p", publish("https%3A%2F%2Fe.com%2Fp%23frag").destination());
  }

  @Test
  void double_encoded_destination_is_not_decoded_and_is_rejected() {
    assertEquals(
        "invalid destination url: \"https%253A%252F%252Fexample.com\" is neither an http(s) URL nor a valid"
            + " URL group name (A-Z a-z 0-9 - _ .)",
        publishError("https%253A%252F%252Fexample.com"));
  }

  @Test
  void rejects_encoded_control_characters_and_malformed_encoding() {
    assertEquals(
        "invalid destination url: endpoint contains whitespace or control characters",
        publishError("https%3A%2F%2Fe.com%2F%0D%0AX-Evil:%201"));
    assertEquals(
        "invalid destination url: malformed percent-encoding in destination",
        publishError("https%3A%2F%2Fe.com%2"));
  }

  // ---- publish: URL-group destinations
  // -------------------------------------------------------------------

  @Test
  void a_name_is_a_url_group() {
    DestinationPath d = publish("my-group");
    assertEquals("my-group", d.destination());
    assertFalse(d.isUrl());
    assertTrue(d.isUrlGroup());
  }

  @Test
  void a_url_group_takes_config_params_and_token() {
    DestinationPath d = publish("my_group.v2?upstash-retries=2&qstash_token=t");
    assertEquals("my_group.v2", d.destination());
    assertEquals(Map.of("upstash-retries", "2"), d.config());
    assertEquals("t", d.qstashToken());
  }

  @Test
  void a_url_group_with_other_query_params_is_refused() {
    assertEquals(
        "invalid destination url: a URL group name cannot have query parameters",
        publishError("my-group?x=1"));
  }

  // ---- publish: refusals
  // ---------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(
      strings = {
        "localhost:3000/api",
        "example.com/path",
        "ftp://e.com/x",
        "file:///etc/passwd",
        "gopher://e.com:70/_x",
        "javascript:alert(1)",
        "//e.com/x",
        "mailto:a@b.c",
        "https:e.com"
      })
  void refuses_anything_that_is_not_http_or_https(String remainder) {
    assertEquals(BAD_SCHEME, publishError(remainder));
  }

  @Test
  void refuses_an_invalid_group_name() {
    assertEquals(
        "invalid destination url: \"my%20group\" is neither an http(s) URL nor a valid URL group name"
            + " (A-Z a-z 0-9 - _ .)",
        publishError("my%20group"));
  }

  @Test
  void refuses_a_missing_destination() {
    assertEquals("invalid destination url: destination is missing", publishError(""));
    assertEquals(
        "invalid destination url: destination is missing", publishError("?upstash-retries=1"));
    assertEquals("invalid destination url: destination is missing", publishError("#x"));
  }

  @Test
  void refuses_a_uri_without_the_prefix() {
    assertEquals(
        "request path does not start with /v2/publish/",
        assertThrows(
                IllegalArgumentException.class,
                () -> DestinationPath.parse("/v2/publish", DestinationPath.PUBLISH_PREFIX))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> DestinationPath.parse(null, "/v2/publish/"));
  }

  @Test
  void refuses_overlong_destinations_after_stripping_params() {
    String base = "https://e.com/";
    String exact = base + "a".repeat(DestinationPath.MAX_URL_LENGTH - base.length());
    assertEquals(exact, publish(exact + "?qstash_token=" + "t".repeat(100)).destination());
    assertEquals(
        "invalid destination url: endpoint is longer than 4096 characters",
        publishError(exact + "a"));
    assertEquals(
        "invalid destination url: endpoint is longer than 4096 characters",
        publishError(base + "x".repeat(8192)));
  }

  @Test
  void user_info_is_refused() {
    assertEquals(
        "invalid destination url: endpoint must not contain credentials (user:password@);"
            + " use Upstash-Forward-Authorization instead",
        publishError("https://user:pass@e.com/x"));
  }

  // ---- enqueue
  // -------------------------------------------------------------------------------------------

  @Test
  void enqueue_splits_queue_name_from_destination() {
    DestinationPath d =
        DestinationPath.parseEnqueue("/v2/enqueue/my-queue/https://e.com/x?upstash-retries=1&a=1");
    assertEquals("my-queue", d.queueName());
    assertEquals("https://e.com/x?a=1", d.destination());
    assertTrue(d.isUrl());
    assertEquals(Map.of("upstash-retries", "1"), d.config());
  }

  @Test
  void enqueue_accepts_group_and_collapsed_slash() {
    DestinationPath group = DestinationPath.parseEnqueue("/v2/enqueue/q.1/group_a");
    assertEquals("q.1", group.queueName());
    assertEquals("group_a", group.destination());
    assertTrue(group.isUrlGroup());
    assertEquals(
        "https://e.com/p",
        DestinationPath.parseEnqueue("/v2/enqueue/q/https:/e.com/p").destination());
  }

  @Test
  void enqueue_refuses_invalid_queue_names() {
    assertEquals(
        "invalid queue name \"bad%20q\": use 1 to 256 characters of A-Z a-z 0-9 - _ .",
        enqueueError("/v2/enqueue/bad%20q/https://e.com"));
    assertEquals(
        "invalid queue name \"\": use 1 to 256 characters of A-Z a-z 0-9 - _ .",
        enqueueError("/v2/enqueue//https://e.com"));
    assertEquals(
        "invalid queue name \""
            + "q".repeat(64)
            + "...\": use 1 to 256 characters of A-Z a-z 0-9 - _ .",
        enqueueError("/v2/enqueue/" + "q".repeat(257) + "/https://e.com"));
    assertEquals(
        "invalid queue name \"..\": use 1 to 256 characters of A-Z a-z 0-9 - _ .",
        enqueueError("/v2/enqueue/../https://e.com"));
  }

  @Test
  void enqueue_refuses_a_missing_destination() {
    assertEquals("invalid destination url: destination is missing", enqueueError("/v2/enqueue/q"));
    assertEquals("invalid destination url: destination is missing", enqueueError("/v2/enqueue/q/"));
    assertEquals(
        "invalid destination url: destination is missing", enqueueError("/v2/enqueue/q?x=1"));
    assertEquals(
        "request path does not start with /v2/enqueue/", enqueueError("/v2/publish/https://e.com"));
  }

  // ---- validateUrl
  // ---------------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://localhost:8080/x",
        "https://my_service/x",
        "http://my_service:8080",
        "https://[::1]:8080/x",
        "https://xn--bcher-kva.de/",
        "https://e.com?x=1",
        "https://e.com/x?q={\"a\":1}",
        "https://e.com/a[1]|b^c`d\\e",
        "https://e.com/?p=100%",
        "https://e.com:/x",
        "https://e.com./",
        "https://1.2.3.4:65535/",
        "HtTp://E.com",
        "https://e.com/%E2%82%AC?x=%zz",
        "https://e.com/a//b/../c",
        "https://e.com/<script>"
      })
  void accepts_urls_go_and_the_delivery_client_accept(String url) {
    assertEquals(url, DestinationPath.validateUrl(url));
  }

  @Test
  void validate_url_drops_the_fragment() {
    assertEquals("https://e.com/a?b=1", DestinationPath.validateUrl("https://e.com/a?b=1#c?d"));
  }

  @Test
  void refuses_credentials() {
    String message =
        "invalid destination url: endpoint must not contain credentials (user:password@);"
            + " use Upstash-Forward-Authorization instead";
    assertEquals(message, urlError("https://user:pass@e.com/"));
    assertEquals(message, urlError("https://user@e.com/"));
    assertEquals(message, urlError("https://evil.com\\@good.com/x"));
  }

  /**
   * RFC 3986 allows {@code @} in a path or query ({@code /@alice} profile URLs); only an {@code @}
   * in the authority is credentials. The delivery client must see the host we validated.
   */
  @Test
  void an_at_sign_after_the_authority_is_a_path_character_not_credentials() {
    for (String url :
        List.of(
            "https://e.com/@alice",
            "https://e.com/users?by=@alice",
            "http://e.com:/@evil.com",
            "http://e.com//@evil.com/x",
            "http://httphttp://@")) {
      assertEquals(url, DestinationPath.validateUrl(url));
      String host = url.substring(url.indexOf("://") + 3).split("[:/?]", 2)[0];
      RequestOptions dispatch = new RequestOptions().setAbsoluteURI(url);
      assertEquals(host, dispatch.getHost(), url);
      assertEquals(url.startsWith("https") ? 443 : 80, dispatch.getPort(), url);
    }
  }

  @Test
  void refuses_missing_or_invalid_hosts() {
    assertEquals("invalid destination url: endpoint has no host", urlError("https://"));
    assertEquals("invalid destination url: endpoint has no host", urlError("https:///x"));
    assertEquals("invalid destination url: endpoint has no host", urlError("https://?x=1"));
    assertEquals(
        "invalid destination url: endpoint has an invalid host \"e..com\"",
        urlError("https://e..com/"));
    assertEquals(
        "invalid destination url: endpoint has an invalid host \".e.com\"",
        urlError("https://.e.com/"));
    assertEquals(
        "invalid destination url: endpoint has an invalid host \"e!com\"",
        urlError("https://e!com/"));
    assertEquals(
        "invalid destination url: endpoint has an invalid host \"e.com\\x\"",
        urlError("https://e.com\\x"));
    assertEquals(
        "invalid destination url: endpoint has an invalid host \"e%41.com\"",
        urlError("https://e%41.com/"));
    assertEquals(
        "invalid destination url: endpoint has an invalid host \"\"", urlError("https://::1/"));
  }

  @ParameterizedTest
  // Zone ids (fe80::1%25eth0) too: they only scope link-local addresses, which destinations never
  // reach (SSRF).
  @ValueSource(
      strings = {
        "https://[::1/",
        "https://[zz]/",
        "https://[::1]x/",
        "https://[]/",
        "http://[fe80::1%25eth0]/"
      })
  void refuses_invalid_ipv6_hosts(String url) {
    assertEquals("invalid destination url: endpoint has an invalid IPv6 host", urlError(url));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://2130706433/",
        "http://0x7f.1/",
        "http://017700000001/",
        "http://127.1/",
        "http://127.000.000.001/",
        "http://0177.0.0.1/",
        "http://127.0.0.1./",
        "http://0x7f000001:80/",
        "http://a.0x10/"
      })
  void refuses_numeric_hosts_that_are_not_dotted_quads(String url) {
    assertTrue(
        urlError(url).contains("reads as an IP address but is not written as four decimal numbers"),
        url);
  }

  @Test
  void refuses_invalid_ports() {
    assertEquals(
        "invalid destination url: endpoint has an invalid port \"0\"",
        urlError("https://e.com:0/"));
    assertEquals(
        "invalid destination url: endpoint has an invalid port \"65536\"",
        urlError("https://e.com:65536/"));
    assertEquals(
        "invalid destination url: endpoint has an invalid port \"123456\"",
        urlError("https://e.com:123456"));
    assertEquals(
        "invalid destination url: endpoint has an invalid port \"abc\"",
        urlError("https://e.com:abc/"));
    assertEquals(
        "invalid destination url: endpoint has an invalid port \"b:c\"",
        urlError("https://a:b:c/"));
    assertEquals(
        "invalid destination url: endpoint has an invalid port \"-1\"",
        urlError("https://[::1]:-1/"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://e.com/a b",
        "https://e.com/\r\nX-Evil: 1",
        "https://e.com/\tx",
        "https://e.com/\u0000",
        "https://e.com/\u007f",
        " https://e.com/",
        "https://e.com/x\n"
      })
  void refuses_whitespace_and_controls(String url) {
    assertEquals(
        "invalid destination url: endpoint contains whitespace or control characters",
        urlError(url));
  }

  @Test
  void refuses_non_ascii() {
    assertEquals(
        "invalid destination url: endpoint contains non-ASCII characters; percent-encode them"
            + " (and use punycode for hosts)",
        urlError("https://b\u00fccher.de/"));
    assertTrue(urlError("https://e.com/\u20ac").contains("non-ASCII"));
  }

  @Test
  void refuses_malformed_escapes_in_the_path() {
    assertEquals(
        "invalid destination url: endpoint path has a malformed %-escape",
        urlError("https://e.com/%zz"));
    assertEquals(
        "invalid destination url: endpoint path has a malformed %-escape",
        urlError("https://e.com/a%4"));
    assertEquals(
        "invalid destination url: endpoint path has a malformed %-escape",
        urlError("https://e.com/%"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://e.com",
        "e.com",
        "//e.com",
        "javascript:alert(1)",
        "mailto:x@y.z",
        "httpx://e.com",
        "http:/e.com",
        "ws://e.com/socket"
      })
  void validate_url_refuses_other_schemes(String url) {
    assertEquals(BAD_SCHEME, urlError(url));
  }

  @Test
  void validate_url_refuses_null_and_empty() {
    assertEquals("invalid destination url: endpoint is empty", urlError(null));
    assertEquals("invalid destination url: endpoint is empty", urlError(""));
  }

  // ---- names
  // ---------------------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"a", "A-Z_0.9", "my-queue", "...", "x.y.z", "0"})
  void accepts_valid_names(String name) {
    assertTrue(DestinationPath.isValidName(name));
    assertTrue(DestinationPath.isValidName("n".repeat(256)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", ".", "..", "a b", "a/b", "a:b", "\u00fc", "a%20b", "a+b", "a\nb", "\u0661"})
  void refuses_invalid_names(String name) {
    assertFalse(DestinationPath.isValidName(name));
    assertFalse(DestinationPath.isValidName(null));
    assertFalse(DestinationPath.isValidName("n".repeat(257)));
  }
}
