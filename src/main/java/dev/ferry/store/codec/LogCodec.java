package dev.ferry.store.codec;

import static dev.ferry.store.codec.RecordWriter.sizeOfBytes;
import static dev.ferry.store.codec.RecordWriter.sizeOfHeaders;
import static dev.ferry.store.codec.RecordWriter.sizeOfSignedInt;
import static dev.ferry.store.codec.RecordWriter.sizeOfSignedLong;
import static dev.ferry.store.codec.RecordWriter.sizeOfString;

import dev.ferry.model.AttemptResult;
import dev.ferry.model.LogRecord;
import dev.ferry.model.MessageState;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Keys and values of the message log (the embedded log store's RocksDB rows; the Redis log's stream
 * entries use the same values). An entry's key is {@code tenant 0 position}, the position an 8-byte
 * big-endian number (Unix ms in the high 48 bits, a sequence in the low 16), so a tenant's entries
 * are one range in the order they were recorded. Its value is small: the message's descriptive
 * fields live once per message in the snapshot column family ({@link MessageCodec} record keyed by
 * message id).
 *
 * <p>A row holds one entry or, for the CREATED entries of one ingest append, several: the row's key
 * is the position of its first entry and entry {@code i} has position {@code first + i}. So a batch
 * of 100 publishes costs the log one row, not 100.
 *
 * <ul>
 *   <li>Entry v1 (one entry): version 1, state code, messageId, error?, nextDeliveryTime (signed),
 *       responseStatus (signed), responseHeaders, responseBody.
 *   <li>Created v2 (several CREATED entries): version 2, count, then that many messageIds.
 * </ul>
 *
 * The evolution rule of {@link MessageCodec} applies. State codes are persisted: {@link #STATES} is
 * append-only.
 */
public final class LogCodec {
  public static final int ENTRY_V1 = 1;
  public static final int CREATED_V2 = 2;

  /** Persisted state codes: index = code. Never reorder; append new states at the end. */
  public static final List<MessageState> STATES =
      List.of(
          MessageState.CREATED,
          MessageState.ACTIVE,
          MessageState.RETRY,
          MessageState.ERROR,
          MessageState.DELIVERED,
          MessageState.FAILED,
          MessageState.CANCEL_REQUESTED,
          MessageState.CANCELED);

  private LogCodec() {}

  public static byte[] key(byte[] tenantPrefix, long position) {
    byte[] key = Arrays.copyOf(tenantPrefix, tenantPrefix.length + 8);
    for (int i = 0; i < 8; i++) {
      key[tenantPrefix.length + i] = (byte) (position >>> (56 - 8 * i));
    }
    return key;
  }

  public static long positionOf(byte[] key, int prefixLength) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (key[prefixLength + i] & 0xFF);
    }
    return v;
  }

  /** The tenant prefix ({@code tenant 0}) of any entry key. */
  public static byte[] prefixOf(byte[] key) {
    for (int i = 0; i < key.length; i++) {
      if (key[i] == 0) return Arrays.copyOf(key, i + 1);
    }
    throw new IllegalStateException("malformed log key: no tenant separator");
  }

  /**
   * The smallest key after every key that starts with {@code prefix} (prefix ends with the 0
   * separator).
   */
  public static byte[] prefixEnd(byte[] prefix) {
    byte[] end = prefix.clone();
    end[end.length - 1] = 1;
    return end;
  }

  public static byte[] encode(LogRecord r, int maxBody) {
    AttemptResult a = r.response();
    int status = a == null ? 0 : a.status();
    Map<String, List<String>> headers = a == null ? Map.of() : a.headers();
    byte[] body = a == null ? new byte[0] : a.body();
    if (body.length > maxBody) body = Arrays.copyOf(body, maxBody);
    String error = r.error() != null ? r.error() : a == null ? null : a.error();
    return encode(r.state(), r.messageId(), error, r.nextDeliveryTime(), status, headers, body);
  }

  public static byte[] encode(
      MessageState state,
      String messageId,
      String error,
      long nextDeliveryTime,
      int status,
      Map<String, List<String>> headers,
      byte[] body) {
    int size =
        2
            + sizeOfString(messageId)
            + sizeOfString(error)
            + sizeOfSignedLong(nextDeliveryTime)
            + sizeOfSignedInt(status)
            + sizeOfHeaders(headers)
            + sizeOfBytes(body);
    RecordWriter out = new RecordWriter(size);
    out.writeByte(ENTRY_V1);
    out.writeByte(STATES.indexOf(state));
    out.writeString(messageId);
    out.writeString(error);
    out.writeSignedLong(nextDeliveryTime);
    out.writeSignedInt(status);
    out.writeHeaders(headers);
    out.writeBytes(body);
    return out.finish();
  }

  /** One row of CREATED entries for the given message ids, in order. */
  public static byte[] encodeCreated(List<String> messageIds) {
    int size = 1 + RecordWriter.sizeOfVarInt(messageIds.size());
    for (String id : messageIds) size += sizeOfString(id);
    RecordWriter out = new RecordWriter(size);
    out.writeByte(CREATED_V2);
    out.writeVarInt(messageIds.size());
    for (String id : messageIds) out.writeString(id);
    return out.finish();
  }

  /** How many entries a row holds. */
  public static int countOf(byte[] value) {
    int version = value[0] & 0xFF;
    if (version == ENTRY_V1) return 1;
    requireVersion(version);
    return new RecordReader(value, 1).readVarInt();
  }

  /** The state of a single-entry row (CREATED for a created row); retention reads only this. */
  public static MessageState stateOf(byte[] value) {
    int version = value[0] & 0xFF;
    if (version == CREATED_V2) return MessageState.CREATED;
    requireVersion(version);
    return STATES.get(value[1] & 0xFF);
  }

  /** The decoded fields of one entry; the snapshot is joined by the caller. */
  public record Decoded(
      MessageState state,
      String messageId,
      String error,
      long nextDeliveryTime,
      AttemptResult response) {}

  /** Every entry of a row, in position order. */
  public static List<Decoded> decodeRow(byte[] value, long time) {
    if ((value[0] & 0xFF) == ENTRY_V1) return List.of(decode(value, time));
    requireVersion(value[0] & 0xFF);
    RecordReader in = new RecordReader(value, 1);
    int n = in.readVarInt();
    List<Decoded> out = new java.util.ArrayList<>(n);
    for (int i = 0; i < n; i++)
      out.add(new Decoded(MessageState.CREATED, in.readString(), null, 0, null));
    return out;
  }

  public static Decoded decode(byte[] value, long time) {
    RecordReader in = new RecordReader(value);
    requireVersion(in.readByte());
    MessageState state = STATES.get(in.readByte());
    String messageId = in.readString();
    String error = in.readString();
    long next = in.readSignedLong();
    int status = in.readSignedInt();
    Map<String, List<String>> headers = in.readHeaders();
    byte[] body = in.readBytes();
    AttemptResult response =
        status == 0 && headers.isEmpty() && body.length == 0
            ? null
            : new AttemptResult(status, headers, body, error, time);
    return new Decoded(state, messageId, error, next, response);
  }

  private static void requireVersion(int version) {
    if (version != ENTRY_V1 && version != CREATED_V2) {
      throw new IllegalStateException(
          "unknown log row version " + version + " (this build reads 1 and 2)");
    }
  }
}
