package dev.ferry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.RequestOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

/**
 * Properties of destination parsing (docs/compatibility.md#destinations-in-the-path): every valid
 * http(s) URL survives validation, the publish path (plain or percent-encoded, with config
 * parameters riding along) and the delivery client's own URL parser unchanged; anything else is one
 * clean, consistent 400 message.
 */
class DestinationPathPropertyTest {

  /** A generated URL and the parts the delivery client must see. */
  record Url(
      String text, boolean https, String host, int port, String pathAndQuery, boolean hasQuery) {}

  @Property(tries = 500)
  void a_valid_url_round_trips_through_validation_publish_paths_and_the_delivery_client(
      @ForAll("urls") Url url) {
    String u = url.text();
    assertEquals(u, DestinationPath.validateUrl(u));
    assertEquals(u, new ValidatedUrls().apply(u));
    DestinationPath classified = DestinationPath.classify(u);
    assertTrue(classified.isUrl());
    assertEquals(u, classified.url());

    DestinationPath published =
        DestinationPath.parse(DestinationPath.PUBLISH_PREFIX + u, DestinationPath.PUBLISH_PREFIX);
    assertEquals(u, published.url());
    assertTrue(published.config().isEmpty());
    assertNull(published.qstashToken());

    DestinationPath enqueued =
        DestinationPath.parseEnqueue(DestinationPath.ENQUEUE_PREFIX + "q-1/" + u);
    assertEquals("q-1", enqueued.queueName());
    assertEquals(u, enqueued.url());

    // config parameters are taken out of the query; the destination's own query stays byte for byte
    String withConfig = u + (url.hasQuery() ? "&" : "?") + "upstash-delay=10s&qstash_token=t%2Bk";
    DestinationPath configured =
        DestinationPath.parse(
            DestinationPath.PUBLISH_PREFIX + withConfig, DestinationPath.PUBLISH_PREFIX);
    assertEquals(u, configured.url());
    assertEquals("10s", configured.config().get("upstash-delay"));
    assertEquals("t+k", configured.qstashToken());

    // the delivery client parses the same string to the same target
    RequestOptions dispatch = new RequestOptions().setAbsoluteURI(u);
    assertEquals(url.https(), dispatch.isSsl());
    assertEquals(url.host().toLowerCase(Locale.ROOT), dispatch.getHost().toLowerCase(Locale.ROOT));
    assertEquals(url.port(), dispatch.getPort());
    assertEquals(
        url.pathAndQuery().isEmpty() || url.pathAndQuery().startsWith("?")
            ? "/" + url.pathAndQuery()
            : url.pathAndQuery(),
        dispatch.getURI());
  }

  @Property(tries = 300)
  void a_percent_encoded_url_is_decoded_exactly_once(@ForAll("urls") Url url) {
    String encoded = URLEncoder.encode(url.text(), StandardCharsets.UTF_8);
    DestinationPath once =
        DestinationPath.parse(
            DestinationPath.PUBLISH_PREFIX + encoded, DestinationPath.PUBLISH_PREFIX);
    assertEquals(url.text(), once.url());
    String twice = URLEncoder.encode(encoded, StandardCharsets.UTF_8);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            DestinationPath.parse(
                DestinationPath.PUBLISH_PREFIX + twice, DestinationPath.PUBLISH_PREFIX));
  }

  @Property(tries = 300)
  void other_schemes_and_credentials_are_refused(
      @ForAll("urls") Url url,
      @ForAll("schemes") String scheme,
      @ForAll @StringLength(min = 1, max = 8) @net.jqwik.api.constraints.AlphaChars String user) {
    String rest = url.text().substring(url.text().indexOf("://"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> DestinationPath.validateUrl(scheme + rest));
    assertTrue(e.getMessage().contains("invalid scheme"), e.getMessage());
    String withUser = url.text().replace("://", "://" + user + ":pw@");
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> DestinationPath.validateUrl(withUser))
            .getMessage()
            .contains("credentials"));
  }

  @Property(tries = 2000)
  void any_string_is_a_clean_http_url_or_one_consistent_refusal(@ForAll("urlish") String input) {
    String accepted;
    try {
      accepted = DestinationPath.validateUrl(input);
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage().startsWith("invalid destination url: "), e.getMessage());
      assertTrue(e.getMessage().length() < 200, "message not bounded: " + e.getMessage().length());
      IllegalArgumentException again =
          assertThrows(IllegalArgumentException.class, () -> new ValidatedUrls().apply(input));
      assertEquals(
          e.getMessage(), again.getMessage(), "the cached validator must refuse the same way");
      return;
    }
    String lower = accepted.toLowerCase(Locale.ROOT);
    assertTrue(lower.startsWith("http://") || lower.startsWith("https://"), accepted);
    assertTrue(accepted.length() <= DestinationPath.MAX_URL_LENGTH);
    assertFalse(accepted.contains("#"), accepted);
    // an @ may sit in the path or query (RFC 3986), never in the authority (credentials)
    String authority = accepted.substring(accepted.indexOf("://") + 3).split("[/?]", 2)[0];
    assertFalse(authority.contains("@"), accepted);
    assertTrue(accepted.chars().allMatch(c -> c > 0x20 && c < 0x7f), accepted);
    assertEquals(accepted, DestinationPath.validateUrl(accepted), "validation is idempotent");
    // whatever we accept, the delivery client can send to, and to the host we validated
    RequestOptions dispatch = new RequestOptions().setAbsoluteURI(accepted);
    String host =
        authority.startsWith("[")
            ? authority.substring(0, authority.indexOf(']') + 1)
            : authority.split(":", 2)[0];
    assertEquals(
        host.toLowerCase(Locale.ROOT), dispatch.getHost().toLowerCase(Locale.ROOT), accepted);
  }

  @Property(tries = 300)
  void names_are_urls_groups_or_refusals(@ForAll @StringLength(max = 300) String name) {
    try {
      DestinationPath d = DestinationPath.classify(name);
      assertEquals(d.isUrl(), !DestinationPath.isValidName(name) || name.startsWith("http"));
    } catch (IllegalArgumentException e) {
      assertFalse(DestinationPath.isValidName(name));
      assertTrue(e.getMessage().startsWith("invalid destination url: "), e.getMessage());
    }
  }

  @Provide
  Arbitrary<Url> urls() {
    Arbitrary<Boolean> https = Arbitraries.of(true, false);
    Arbitrary<String> host =
        Arbitraries.oneOf(
            dnsNames(), ipv4(), Arbitraries.of("[::1]", "[2001:db8::7]", "[fe80::1:2]"));
    Arbitrary<Integer> port =
        Arbitraries.oneOf(Arbitraries.just(-1), Arbitraries.integers().between(1, 65535));
    Arbitrary<String> path =
        pathSegment().list().ofMaxSize(4).map(l -> l.isEmpty() ? "" : "/" + String.join("/", l));
    Arbitrary<String> query =
        Arbitraries.oneOf(
            Arbitraries.just(""),
            Combinators.combine(token(), token()).as((k, v) -> "?" + k + "=" + v));
    return Combinators.combine(https, host, port, path, query, Arbitraries.of("", "Http", "HTTP"))
        .as(
            (s, h, p, pa, q, schemeCase) -> {
              String scheme = s ? "https" : "http";
              if (!schemeCase.isEmpty())
                scheme =
                    schemeCase.equals("HTTP")
                        ? scheme.toUpperCase(Locale.ROOT)
                        : Character.toUpperCase(scheme.charAt(0)) + scheme.substring(1);
              String text = scheme + "://" + h + (p > 0 ? ":" + p : "") + pa + q;
              int effectivePort = p > 0 ? p : s ? 443 : 80;
              return new Url(text, s, h, effectivePort, pa + q, !q.isEmpty());
            });
  }

  private static Arbitrary<String> dnsNames() {
    Arbitrary<String> label =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withCharRange('0', '9')
            .withChars('-', '_')
            .ofMinLength(1)
            .ofMaxLength(12)
            .filter(l -> Character.isLetter(l.charAt(0))); // "0", "1.2" read as IPs
    return label.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l));
  }

  private static Arbitrary<String> ipv4() {
    Arbitrary<Integer> octet = Arbitraries.integers().between(0, 255);
    return Combinators.combine(octet, octet, octet, octet)
        .as((a, b, c, d) -> a + "." + b + "." + c + "." + d);
  }

  private static Arbitrary<String> pathSegment() {
    Arbitrary<String> plain =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withCharRange('A', 'Z')
            .withCharRange('0', '9')
            .withChars("-._~!$&'()*+,;=:")
            .ofMaxLength(10);
    Arbitrary<String> escape =
        Arbitraries.integers().between(0, 255).map(b -> String.format("%%%02X", b));
    return Combinators.combine(plain, escape, plain).as((a, e, b) -> a + e + b);
  }

  private static Arbitrary<String> token() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .withCharRange('0', '9')
        .ofMinLength(1)
        .ofMaxLength(8);
  }

  @Provide
  Arbitrary<String> schemes() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            "ftp", "file", "gopher", "ws", "wss", "javascript", "httpx", "htt", "http+unix"),
        Arbitraries.strings()
            .alpha()
            .ofMinLength(1)
            .ofMaxLength(8)
            .filter(s -> !s.equalsIgnoreCase("http") && !s.equalsIgnoreCase("https")));
  }

  /** Mostly almost-URLs (fragments of real ones recombined), some arbitrary text, some long. */
  @Provide
  Arbitrary<String> urlish() {
    Arbitrary<String> pieces =
        Arbitraries.of(
            "http",
            "https",
            "HTTP",
            "://",
            ":/",
            "//",
            "/",
            "@",
            ":",
            "[",
            "]",
            "::1",
            "%",
            "%2F",
            "%zz",
            "?",
            "#",
            "a",
            "example.com",
            "127.0.0.1",
            "user:pw",
            ":80",
            ":0",
            ":65536",
            ":99999",
            " ",
            "\t",
            "\u0000",
            "é",
            "xn--bcher-kva",
            "..",
            ".",
            "-",
            "_",
            "{",
            "|",
            "\\",
            "\r\n",
            "file:",
            "gopher:");
    Arbitrary<String> joined = pieces.list().ofMaxSize(12).map(l -> String.join("", l));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, joined),
        net.jqwik.api.Tuple.of(2, Arbitraries.strings().ofMaxLength(40)),
        net.jqwik.api.Tuple.of(
            1, Arbitraries.integers().between(4000, 9000).map(n -> "http://a/" + "p".repeat(n))));
  }

  @Property(tries = 50)
  void urls_longer_than_the_limit_are_refused(@ForAll @IntRange(min = 1, max = 10_000) int extra) {
    String url = "https://example.com/" + "p".repeat(DestinationPath.MAX_URL_LENGTH - 20 + extra);
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> DestinationPath.validateUrl(url))
            .getMessage()
            .contains("longer than"));
  }
}
