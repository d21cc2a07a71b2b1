package dev.ferry.api.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.error.ApiException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of the strict batch reader (docs/compatibility.md#batch-bodies): any batch a client
 * can encode reads back equal; a body is refused whole exactly when it is not strict JSON
 * (duplicate keys, invalid UTF-8, too deep, too many entries); and whatever the bytes, the answer
 * is the entries or a 400, never another exception.
 */
class BatchJsonPropertyTest {
  private static final int MAX_ENTRIES = 100;

  @Property(tries = 200)
  void an_encoded_batch_reads_back_equal(@ForAll("batches") JsonArray batch) {
    List<BatchEntry> read = BatchJson.parse(Buffer.buffer(batch.encode()), MAX_ENTRIES);
    assertEquals(BatchEntryReference.of(batch), read);
  }

  @Property(tries = 200)
  void the_entry_limit_is_exact(@ForAll @IntRange(min = 0, max = 300) int entries) {
    String body =
        "["
            + String.join(",", java.util.Collections.nCopies(entries, "{\"destination\":\"a\"}"))
            + "]";
    if (entries <= MAX_ENTRIES) {
      assertEquals(entries, BatchJson.parse(Buffer.buffer(body), MAX_ENTRIES).size());
    } else {
      assertRefused(body.getBytes(StandardCharsets.UTF_8), "batch too large");
    }
  }

  @Property(tries = 100)
  void a_duplicate_key_anywhere_refuses_the_whole_batch(
      @ForAll("batches") JsonArray batch, @ForAll @IntRange(min = 0, max = 1000) int where) {
    if (batch.isEmpty()) return;
    JsonObject entry = batch.getJsonObject(where % batch.size());
    String key =
        entry.fieldNames().isEmpty() ? "destination" : entry.fieldNames().iterator().next();
    String encodedEntry = entry.encode();
    String duplicated =
        "{\""
            + key
            + "\":1"
            + (encodedEntry.length() > 2 ? "," + encodedEntry.substring(1) : ",\"" + key + "\":2}");
    String body = batch.encode().replace(encodedEntry, duplicated);
    assertRefused(body.getBytes(StandardCharsets.UTF_8), "Duplicate field");
  }

  @Property(tries = 1000)
  void utf8_is_accepted_exactly_when_it_is_well_formed(@ForAll("stringBytes") byte[] content) {
    byte[] body =
        concat(
            "[{\"body\":\"".getBytes(StandardCharsets.US_ASCII),
            content,
            "\"}]".getBytes(StandardCharsets.US_ASCII));
    boolean wellFormed =
        Arrays.equals(
            content, new String(content, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
    if (wellFormed) {
      assertArrayEquals(content, BatchJson.parse(Buffer.buffer(body), MAX_ENTRIES).get(0).body());
    } else {
      assertRefused(body, "invalid UTF-8");
    }
  }

  @Property(tries = 1000)
  void the_ascii_shortcut_sees_a_high_byte_at_any_position(
      @ForAll @IntRange(min = 0, max = 40) int length,
      @ForAll @IntRange(min = 0, max = 40) int at) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) 'a');
    assertTrue(BatchJson.isAscii(bytes));
    if (at < length) {
      bytes[at] = (byte) 0x80;
      assertFalse(BatchJson.isAscii(bytes), "high byte at " + at + " of " + length);
    }
  }

  @Property(tries = 100)
  void nesting_is_refused_past_the_depth_limit(@ForAll @IntRange(min = 1, max = 2000) int depth) {
    String body = "[{\"headers\":" + "[".repeat(depth) + "]".repeat(depth) + "}]";
    if (depth + 2 <= BatchJson.MAX_DEPTH) {
      BatchJson.parse(Buffer.buffer(body), MAX_ENTRIES);
    } else {
      assertRefused(body.getBytes(StandardCharsets.UTF_8), "nesting depth");
    }
  }

  @Property(tries = 3000)
  void any_bytes_are_entries_or_a_400(@ForAll("jsonish") byte[] body) {
    try {
      List<BatchEntry> entries = BatchJson.parse(Buffer.buffer(body), MAX_ENTRIES);
      assertTrue(entries.size() <= MAX_ENTRIES);
      // what is accepted is valid JSON that Vert.x reads the same way
      assertEquals(BatchEntryReference.of(new JsonArray(Buffer.buffer(body))), entries);
    } catch (ApiException e) {
      assertEquals(400, e.status());
      assertTrue(
          e.getMessage().startsWith("malformed JSON") || e.getMessage().startsWith("batch"),
          e.getMessage());
    }
  }

  private static void assertRefused(byte[] body, String fragment) {
    ApiException e =
        assertThrows(ApiException.class, () -> BatchJson.parse(Buffer.buffer(body), MAX_ENTRIES));
    assertEquals(400, e.status());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  private static byte[] concat(byte[]... parts) {
    Buffer b = Buffer.buffer();
    for (byte[] p : parts) b.appendBytes(p);
    return b.getBytes();
  }

  @Provide
  Arbitrary<JsonArray> batches() {
    Arbitrary<String> text =
        Arbitraries.strings().ofMaxLength(20); // any UTF-16, surrogate pairs included
    Arbitrary<Object> scalar =
        Arbitraries.oneOf(
            text.map(s -> (Object) s),
            Arbitraries.longs().map(n -> (Object) n),
            Arbitraries.of(true, false).map(b -> (Object) b),
            Arbitraries.doubles().map(d -> (Object) d));
    Arbitrary<Object> headerValue =
        Arbitraries.oneOf(
            scalar, text.list().ofMaxSize(3).map(l -> (Object) new JsonArray(new ArrayList<>(l))));
    Arbitrary<JsonObject> headers =
        Arbitraries.maps(text, headerValue)
            .ofMaxSize(4)
            .map(m -> new JsonObject(new LinkedHashMap<>(m)));
    Arbitrary<Object> body =
        Arbitraries.oneOf(
            text.map(t -> (Object) t),
            // what must be escaped, and what need not be
            Arbitraries.strings()
                .withChars("\"\\/\b\f\n\r\t a\u00e9\u2713\u0001")
                .ofMaxLength(12)
                .map(t -> (Object) t),
            scalar,
            Arbitraries.just(null),
            headers.map(h -> (Object) h),
            text.list().ofMaxSize(3).map(l -> (Object) new JsonArray(new ArrayList<>(l))));
    Arbitrary<Object> headersField =
        Arbitraries.frequencyOf(
            Tuple.of(8, headers.map(h -> (Object) h)),
            Tuple.of(1, scalar),
            Tuple.of(1, Arbitraries.just(null)));
    // keys in any order, an unknown one among them, each left out at times
    Arbitrary<List<String>> keys =
        Arbitraries.of("destination", "body", "headers", "queue", "extra")
            .list()
            .uniqueElements()
            .ofMaxSize(5);
    Arbitrary<JsonObject> entry =
        Combinators.combine(keys, text, body, headersField, scalar)
            .as(
                (order, destination, b, h, extra) -> {
                  JsonObject e = new JsonObject();
                  for (String key : order) {
                    switch (key) {
                      case "destination" -> e.put(key, destination);
                      case "body" -> e.put(key, b);
                      case "headers" -> e.put(key, h);
                      case "queue" -> e.put(key, "q");
                      default -> e.put(key, extra);
                    }
                  }
                  return e;
                });
    return entry.list().ofMaxSize(20).map(l -> new JsonArray(new ArrayList<>(l)));
  }

  @Provide
  Arbitrary<byte[]> stringBytes() {
    Arbitrary<byte[]> valid =
        Arbitraries.strings()
            .ofMaxLength(10)
            .filter(
                s ->
                    s.indexOf('"') < 0 && s.indexOf('\\') < 0 && s.chars().allMatch(c -> c >= 0x20))
            .map(s -> s.getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> highBytes =
        Arbitraries.bytes()
            .between((byte) 0x80, (byte) 0xff)
            .array(byte[].class)
            .ofMinSize(1)
            .ofMaxSize(4);
    Arbitrary<byte[]> mixed =
        Combinators.combine(valid, highBytes, valid).as(BatchJsonPropertyTest::concat);
    return Arbitraries.oneOf(valid, highBytes, mixed);
  }

  @Provide
  Arbitrary<byte[]> jsonish() {
    Arbitrary<String> tokens =
        Arbitraries.of(
            "[",
            "]",
            "{",
            "}",
            ",",
            ":",
            "\"destination\"",
            "\"a\"",
            "\"\\u0000\"",
            "\"\\ud800\"",
            "1",
            "-0",
            "1e999",
            "1.5",
            "true",
            "null",
            " ",
            "\n",
            "\"headers\"",
            "\"x\"",
            "9".repeat(70),
            "/*",
            "'a'",
            "NaN");
    Arbitrary<byte[]> soup =
        tokens.list().ofMaxSize(25).map(l -> String.join("", l).getBytes(StandardCharsets.UTF_8));
    return Arbitraries.frequencyOf(
        Tuple.of(7, soup),
        Tuple.of(2, Arbitraries.bytes().array(byte[].class).ofMaxSize(30)),
        Tuple.of(1, soup.map(b -> concat("[".getBytes(StandardCharsets.US_ASCII), b))));
  }
}
