package dev.ferry.api.publish;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.ferry.error.ApiException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The strict reader of a {@code POST /v2/batch} body: a JSON array of entry objects, refused whole
 * (400) unless it is well-formed, valid UTF-8, free of duplicate keys, at most {@link #MAX_DEPTH}
 * deep, with no number longer than {@link #MAX_NUMBER_LENGTH} characters or out of double range,
 * and at most {@code maxEntries} entries — counted while reading, so a body of 100 000 entries
 * costs no more than {@code maxEntries + 1} of them (docs/compatibility.md#batch-bodies). Pure and
 * thread-safe; called by {@link BatchHandler} on the event loop (the body is already bounded by the
 * request limit).
 *
 * <p>Why not {@code Json.decodeValue}: Vert.x's shared Jackson factory lets the last of duplicate
 * keys win (two readers of one entry could disagree on its destination), accepts 1 000-deep nesting
 * and 1 000-digit numbers, and can only count entries after building all of them. And it builds a
 * map per entry and per {@code headers} object that a batch throws away at once: each entry is read
 * here straight into a {@link BatchEntry} (its fields checked later, in {@link BatchHandler}, in a
 * fixed order).
 */
final class BatchJson {
  /** Array → entry → headers → array of values is depth 4; anything far deeper is not a batch. */
  static final int MAX_DEPTH = 16;

  /** Longest number literal, in characters (a long has 19 digits; a double needs fewer than 30). */
  static final int MAX_NUMBER_LENGTH = 64;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_DEPTH)
                  .maxNumberLength(MAX_NUMBER_LENGTH)
                  .build())
          .build();

  private static final byte[] NO_BYTES = new byte[0];

  private BatchJson() {}

  /**
   * Reads the entries of a batch body.
   *
   * @throws ApiException 400 naming the problem ("malformed JSON: ...", "batch too large: ...",
   *     ...)
   */
  static List<BatchEntry> parse(Buffer body, int maxEntries) {
    if (body == null || body.length() == 0)
      throw ApiException.badRequest("batch body must be a JSON array of entries");
    byte[] bytes = body.getBytes();
    checkUtf8(bytes);
    try (JsonParser parser = FACTORY.createParser(bytes)) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        throw ApiException.badRequest("batch body must be a JSON array of entries");
      }
      List<BatchEntry> entries = new ArrayList<>();
      for (JsonToken token = parser.nextToken();
          token != JsonToken.END_ARRAY;
          token = parser.nextToken()) {
        if (token == null) throw ApiException.badRequest("malformed JSON: unexpected end of input");
        if (entries.size() == maxEntries) {
          throw ApiException.badRequest(
              "batch too large: more than " + maxEntries + " entries, at most " + maxEntries);
        }
        if (token == JsonToken.START_OBJECT) {
          entries.add(entry(parser));
        } else {
          value(parser, token); // read to the end all the same: the whole body must be strict JSON
          entries.add(BatchEntry.NOT_AN_OBJECT);
        }
      }
      if (parser.nextToken() != null)
        throw ApiException.badRequest("malformed JSON: content after the array");
      return entries;
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) { // reading from a byte array: only parse errors are possible
      throw ApiException.badRequest("malformed JSON: " + e.getMessage());
    }
  }

  /**
   * One entry object, from its first key: the fields a publish reads go straight into a {@link
   * BatchEntry} (no intermediate map, the body straight to bytes); any other key is read, checked
   * and dropped.
   */
  private static BatchEntry entry(JsonParser parser) throws IOException {
    Object destination = null;
    Object queue = null;
    Map<String, List<String>> headers = Map.of();
    String headersError = null;
    byte[] body = NO_BYTES;
    String bodyError = null;
    for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
      String name = parser.currentName(); // t is FIELD_NAME: Jackson refuses anything else here
      JsonToken token = parser.nextToken();
      switch (name) {
        case "destination" -> destination = value(parser, token);
        case "queue" -> queue = value(parser, token);
        case "headers" -> {
          if (token == JsonToken.START_OBJECT) {
            headers = new LinkedHashMap<>();
            headersError = headers(parser, headers);
          } else if (token != JsonToken.VALUE_NULL) {
            value(parser, token);
            headersError = "headers must be an object";
          }
        }
        case "body" -> {
          switch (token) {
            case VALUE_STRING -> body = utf8(parser);
            case VALUE_NULL -> body = NO_BYTES;
            case START_OBJECT, START_ARRAY -> body = json(value(parser, token));
            default -> {
              value(parser, token);
              bodyError = "body must be a string, or a JSON object or array";
            }
          }
        }
        default -> value(parser, token);
      }
    }
    return new BatchEntry(true, destination, queue, headers, headersError, body, bodyError);
  }

  /**
   * A {@code headers} object, from its first key, into {@code out} by lower-case name: string
   * values, arrays of strings, or numbers and booleans as their text. Returns the first problem
   * ("headers.NAME: ..."), or null; it reads to the object's end either way.
   */
  private static String headers(JsonParser parser, Map<String, List<String>> out)
      throws IOException {
    String problem = null;
    for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
      String name = parser.currentName();
      JsonToken token = parser.nextToken();
      List<String> values =
          out.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>(1));
      switch (token) {
        case VALUE_STRING -> values.add(parser.getText());
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE ->
            values.add(String.valueOf(value(parser, token)));
        case START_ARRAY -> {
          for (JsonToken v = parser.nextToken(); v != JsonToken.END_ARRAY; v = parser.nextToken()) {
            if (v == JsonToken.VALUE_STRING) {
              values.add(parser.getText());
            } else {
              value(parser, v);
              if (problem == null) problem = "headers." + name + ": values must be strings";
            }
          }
        }
        default -> {
          value(parser, token);
          if (problem == null) problem = "headers." + name + ": value must be a string";
        }
      }
    }
    return problem;
  }

  /**
   * The current string token as UTF-8. Jackson's own decoding into a String and the JDK's encoding
   * back beat both a copy from its char buffer and a scan of the body's bytes in a profile of the
   * batch row (loadtest/RESULTS.md): the string must be scanned anyway, and Jackson does it
   * fastest.
   */
  private static byte[] utf8(JsonParser parser) throws IOException {
    return parser.getText().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A body given as a JSON object or array: its compact JSON text. The JS SDK's {@code batch}
   * copies a non-string body into the entry as it is (the workflow SDK's {@code context.call} with
   * a JSON body does).
   */
  private static byte[] json(Object value) {
    return value instanceof JsonObject o
        ? o.toBuffer().getBytes()
        : ((JsonArray) value).toBuffer().getBytes();
  }

  private static Object value(JsonParser parser, JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT:
        {
          JsonObject object = new JsonObject();
          for (JsonToken t = parser.nextToken();
              t != JsonToken.END_OBJECT;
              t = parser.nextToken()) {
            String name =
                parser.currentName(); // t is FIELD_NAME: Jackson refuses anything else here
            object.put(name, value(parser, parser.nextToken()));
          }
          return object;
        }
      case START_ARRAY:
        {
          JsonArray array = new JsonArray();
          for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            array.add(value(parser, t));
          }
          return array;
        }
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
        return parser.getNumberValue();
      case VALUE_NUMBER_FLOAT:
        {
          double d = parser.getDoubleValue();
          if (Double.isInfinite(d))
            throw ApiException.badRequest(
                "malformed JSON: number out of range: " + parser.getText());
          return d;
        }
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw ApiException.badRequest("malformed JSON: unexpected " + token);
    }
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;

  /**
   * Whether no byte has its high bit set, eight bytes at a time (a char-by-char decode costs
   * several times more).
   */
  static boolean isAscii(byte[] bytes) {
    int i = 0;
    long seen = 0;
    for (int end = bytes.length - 7; i < end; i += 8) seen |= (long) LONGS.get(bytes, i);
    for (; i < bytes.length; i++) seen |= bytes[i];
    return (seen & HIGH_BITS) == 0;
  }

  /**
   * Strict UTF-8 (no overlong forms, no encoded surrogates), in a small reused window: no copy of
   * the body.
   */
  private static void checkUtf8(byte[] bytes) {
    if (isAscii(bytes)) return; // the usual body, and ASCII is always well-formed UTF-8
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer window = CharBuffer.allocate(Math.min(bytes.length, 8192) + 2);
    try {
      while (true) {
        window.clear();
        var result = decoder.decode(in, window, true);
        if (result.isError()) result.throwException();
        if (result.isUnderflow()) break;
      }
      window.clear();
      var flushed = decoder.flush(window);
      if (flushed.isError()) flushed.throwException();
    } catch (CharacterCodingException e) {
      throw ApiException.badRequest("malformed JSON: invalid UTF-8 at byte " + in.position());
    }
  }
}
