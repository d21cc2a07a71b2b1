package dev.ferry.store.codec;

import static dev.ferry.store.codec.RecordWriter.sizeOfBytes;
import static dev.ferry.store.codec.RecordWriter.sizeOfHeaders;
import static dev.ferry.store.codec.RecordWriter.sizeOfSignedInt;
import static dev.ferry.store.codec.RecordWriter.sizeOfSignedLong;
import static dev.ferry.store.codec.RecordWriter.sizeOfString;
import static dev.ferry.store.codec.RecordWriter.sizeOfStrings;

import dev.ferry.model.AttemptResult;
import dev.ferry.model.DlqEntry;
import dev.ferry.model.Message;

/**
 * Binary form of {@link Message}, {@link AttemptResult} and {@link DlqEntry} as every backend
 * stores them (RocksDB values, Redis strings and hash fields). It sits on the publish path, so it
 * sizes each record exactly and writes it in one pass without intermediate buffers.
 *
 * <p>Layout: a version byte, then the fields in a fixed order (see each {@code encode} method);
 * primitives as in {@link RecordWriter}. A message's {@code dueAt} is always the fixed 8 bytes
 * right after the version byte, so the writer thread can read it with a 9-byte partial get ({@link
 * #dueAtOf}) without decoding the record.
 *
 * <p><b>Evolution rule.</b> Records written by every earlier release must keep decoding:
 *
 * <ul>
 *   <li>a new field is only ever appended at the end of its record, and its decoder reads it only
 *       {@code if (in.hasMore())}, using a default otherwise (records written before the field
 *       existed end earlier);
 *   <li>existing fields are never reordered, removed or re-typed; a field that is no longer needed
 *       is still written (with a neutral value);
 *   <li>decoders ignore bytes after the fields they know, so a rollback can read records of a newer
 *       release;
 *   <li>records nest only as length-prefixed blobs (a DLQ entry holds its message and attempt that
 *       way), so each nested record can grow at its own end;
 *   <li>the version byte changes only for a layout that cannot be expressed by appending; decoders
 *       refuse versions they do not know rather than misread them.
 * </ul>
 *
 * {@code MessageCodecTest} pins the current bytes of each record; change it only by appending.
 */
public final class MessageCodec {
  static final int MESSAGE_V1 = 1;
  static final int ATTEMPT_V1 = 1;
  static final int DLQ_V1 = 1;

  /** Bytes a partial read needs to reach a stored message's dueAt. */
  public static final int DUE_AT_END = 9;

  private MessageCodec() {}

  /**
   * Message v1: dueAt (fixed), id, tenant, url, topicName?, endpointName?, queueName?, method,
   * headers, body, maxRetries (signed), retryDelayExpression?, timeoutMillis (signed), notBefore
   * (fixed), createdAt (fixed), callerIp?, labels, retried (signed), then (appended later)
   * scheduleId?, then callback, failureCallback and flowControl, each a length-prefixed nested
   * record (empty = null; see {@link CallbackRecords}), then redactFields?. {@code ?} marks a
   * nullable string.
   */
  public static byte[] encode(Message m) {
    int size =
        1
            + 8
            + sizeOfString(m.id())
            + sizeOfString(m.tenant())
            + sizeOfString(m.url())
            + sizeOfString(m.topicName())
            + sizeOfString(m.endpointName())
            + sizeOfString(m.queueName())
            + sizeOfString(m.method())
            + sizeOfHeaders(m.headers())
            + sizeOfBytes(m.body())
            + sizeOfSignedInt(m.maxRetries())
            + sizeOfString(m.retryDelayExpression())
            + sizeOfSignedLong(m.timeoutMillis())
            + 8
            + 8
            + sizeOfString(m.callerIp())
            + sizeOfStrings(m.labels())
            + sizeOfSignedInt(m.retried())
            + sizeOfString(m.scheduleId());
    byte[] callback = CallbackRecords.encode(m.callback());
    byte[] failureCallback = CallbackRecords.encode(m.failureCallback());
    byte[] flowControl = CallbackRecords.encode(m.flowControl());
    size +=
        sizeOfBytes(callback)
            + sizeOfBytes(failureCallback)
            + sizeOfBytes(flowControl)
            + sizeOfString(m.redactFields());
    RecordWriter out = new RecordWriter(size);
    out.writeByte(MESSAGE_V1);
    out.writeLong(m.dueAt());
    out.writeString(m.id());
    out.writeString(m.tenant());
    out.writeString(m.url());
    out.writeString(m.topicName());
    out.writeString(m.endpointName());
    out.writeString(m.queueName());
    out.writeString(m.method());
    out.writeHeaders(m.headers());
    out.writeBytes(m.body());
    out.writeSignedInt(m.maxRetries());
    out.writeString(m.retryDelayExpression());
    out.writeSignedLong(m.timeoutMillis());
    out.writeLong(m.notBefore());
    out.writeLong(m.createdAt());
    out.writeString(m.callerIp());
    out.writeStrings(m.labels());
    out.writeSignedInt(m.retried());
    out.writeString(m.scheduleId());
    out.writeBytes(callback);
    out.writeBytes(failureCallback);
    out.writeBytes(flowControl);
    out.writeString(m.redactFields());
    return out.finish();
  }

  public static Message decodeMessage(byte[] record) {
    RecordReader in = new RecordReader(record);
    requireVersion("message", in.readByte(), MESSAGE_V1);
    long dueAt = in.readLong();
    String id = in.readString();
    String tenant = in.readString();
    String url = in.readString();
    String topicName = in.readString();
    String endpointName = in.readString();
    String queueName = in.readString();
    String method = in.readString();
    var headers = in.readHeaders();
    byte[] body = in.readBytes();
    int maxRetries = in.readSignedInt();
    String retryDelayExpression = in.readString();
    long timeoutMillis = in.readSignedLong();
    long notBefore = in.readLong();
    long createdAt = in.readLong();
    String callerIp = in.readString();
    var labels = in.readStrings();
    int retried = in.readSignedInt();
    // Fields added later are read here, each guarded by in.hasMore().
    String scheduleId = in.hasMore() ? in.readString() : null;
    var callback = in.hasMore() ? CallbackRecords.decodeCallback(in.readBytes()) : null;
    var failureCallback = in.hasMore() ? CallbackRecords.decodeCallback(in.readBytes()) : null;
    var flowControl = in.hasMore() ? CallbackRecords.decodeFlowControl(in.readBytes()) : null;
    String redactFields = in.hasMore() ? in.readString() : null;
    return new Message(
        id,
        tenant,
        url,
        topicName,
        endpointName,
        queueName,
        method,
        headers,
        body,
        maxRetries,
        retryDelayExpression,
        timeoutMillis,
        notBefore,
        createdAt,
        callerIp,
        labels,
        retried,
        dueAt,
        scheduleId,
        callback,
        failureCallback,
        flowControl,
        redactFields);
  }

  /**
   * The tenant of an encoded message, read without decoding the rest (a store's one-off count of
   * its pending messages per tenant).
   */
  public static String tenantOf(byte[] record) {
    RecordReader in = new RecordReader(record);
    requireVersion("message", in.readByte(), MESSAGE_V1);
    in.readLong(); // dueAt
    in.readString(); // id
    return in.readString();
  }

  /** The queue name of an encoded message (null: unqueued), read without decoding the rest. */
  public static String queueNameOf(byte[] record) {
    RecordReader in = new RecordReader(record);
    requireVersion("message", in.readByte(), MESSAGE_V1);
    in.readLong(); // dueAt
    in.readString(); // id
    in.readString(); // tenant
    in.readString(); // url
    in.readString(); // topicName
    in.readString(); // endpointName
    return in.readString();
  }

  /** The dueAt of an encoded message, from its first {@link #DUE_AT_END} bytes. */
  public static long dueAtOf(byte[] recordPrefix) {
    RecordReader in = new RecordReader(recordPrefix);
    requireVersion("message", in.readByte(), MESSAGE_V1);
    return in.readLong();
  }

  /** AttemptResult v1: status (signed), headers, body, error?, time (fixed). */
  public static byte[] encode(AttemptResult a) {
    int size =
        1
            + sizeOfSignedInt(a.status())
            + sizeOfHeaders(a.headers())
            + sizeOfBytes(a.body())
            + sizeOfString(a.error())
            + 8;
    RecordWriter out = new RecordWriter(size);
    out.writeByte(ATTEMPT_V1);
    out.writeSignedInt(a.status());
    out.writeHeaders(a.headers());
    out.writeBytes(a.body());
    out.writeString(a.error());
    out.writeLong(a.time());
    return out.finish();
  }

  public static AttemptResult decodeAttempt(byte[] record) {
    RecordReader in = new RecordReader(record);
    requireVersion("attempt", in.readByte(), ATTEMPT_V1);
    int status = in.readSignedInt();
    var headers = in.readHeaders();
    byte[] body = in.readBytes();
    String error = in.readString();
    long time = in.readLong();
    return new AttemptResult(status, headers, body, error, time);
  }

  /**
   * DlqEntry v1: dlqId, message (length-prefixed message record), last (length-prefixed attempt
   * record).
   */
  public static byte[] encode(DlqEntry e) {
    byte[] message = encode(e.message());
    byte[] last = encode(e.last());
    RecordWriter out =
        new RecordWriter(1 + sizeOfString(e.dlqId()) + sizeOfBytes(message) + sizeOfBytes(last));
    out.writeByte(DLQ_V1);
    out.writeString(e.dlqId());
    out.writeBytes(message);
    out.writeBytes(last);
    return out.finish();
  }

  public static DlqEntry decodeDlqEntry(byte[] record) {
    RecordReader in = new RecordReader(record);
    requireVersion("dlq entry", in.readByte(), DLQ_V1);
    String dlqId = in.readString();
    Message message = decodeMessage(in.readBytes());
    AttemptResult last = decodeAttempt(in.readBytes());
    return new DlqEntry(dlqId, message, last);
  }

  private static void requireVersion(String kind, int version, int known) {
    if (version != known) {
      throw new IllegalStateException(
          "unknown " + kind + " record version " + version + " (this build reads " + known + ")");
    }
  }
}
