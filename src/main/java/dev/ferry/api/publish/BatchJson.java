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
 * and 1 000-digit numbers, and can only count entries after building all of them.
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

  private BatchJson() {}

  /**
   * Reads the entries of a batch body.
   *
   * @throws ApiException 400 naming the problem ("malformed JSON: ...", "batch too large: ...",
   *     ...)
   */
  static JsonArray parse(Buffer body, int maxEntries) {
    if (body == null || body.length() == 0)
      throw ApiException.badRequest("batch body must be a JSON array of entries");
    byte[] bytes = body.getBytes();
    checkUtf8(bytes);
    try (JsonParser parser = FACTORY.createParser(bytes)) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        throw ApiException.badRequest("batch body must be a JSON array of entries");
      }
      JsonArray entries = new JsonArray();
      for (JsonToken token = parser.nextToken();
          token != JsonToken.END_ARRAY;
          token = parser.nextToken()) {
        if (token == null) throw ApiException.badRequest("malformed JSON: unexpected end of input");
        if (entries.size() == maxEntries) {
          throw ApiException.badRequest(
              "batch too large: more than " + maxEntries + " entries, at most " + maxEntries);
        }
        entries.add(value(parser, token));
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
