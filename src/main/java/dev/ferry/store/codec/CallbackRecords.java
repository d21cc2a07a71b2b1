package dev.ferry.store.codec;

import static dev.ferry.store.codec.RecordWriter.sizeOfBytes;
import static dev.ferry.store.codec.RecordWriter.sizeOfHeaders;
import static dev.ferry.store.codec.RecordWriter.sizeOfSignedInt;
import static dev.ferry.store.codec.RecordWriter.sizeOfSignedLong;
import static dev.ferry.store.codec.RecordWriter.sizeOfString;

import dev.ferry.model.CallbackConfig;
import dev.ferry.model.FlowControl;

/**
 * Binary form of a message's {@link CallbackConfig}s and {@link FlowControl}, nested in the message
 * record as length-prefixed blobs: an empty blob is null (so a message without them costs one byte
 * each). Same evolution rule as {@link MessageCodec}: fields are only appended, read {@code if
 * (in.hasMore())}.
 */
public final class CallbackRecords {
  private static final byte[] NONE = new byte[0];

  private CallbackRecords() {}

  /**
   * CallbackConfig: url, method, headers, maxRetries (signed), retryDelayExpression?, timeout,
   * delay, flowControl.
   */
  public static byte[] encode(CallbackConfig c) {
    if (c == null) return NONE;
    byte[] flow = encode(c.flowControl());
    RecordWriter out =
        new RecordWriter(
            sizeOfString(c.url())
                + sizeOfString(c.method())
                + sizeOfHeaders(c.headers())
                + sizeOfSignedInt(c.maxRetries())
                + sizeOfString(c.retryDelayExpression())
                + sizeOfSignedLong(c.timeoutMillis())
                + sizeOfSignedLong(c.delayMillis())
                + sizeOfBytes(flow));
    out.writeString(c.url());
    out.writeString(c.method());
    out.writeHeaders(c.headers());
    out.writeSignedInt(c.maxRetries());
    out.writeString(c.retryDelayExpression());
    out.writeSignedLong(c.timeoutMillis());
    out.writeSignedLong(c.delayMillis());
    out.writeBytes(flow);
    return out.finish();
  }

  public static CallbackConfig decodeCallback(byte[] record) {
    if (record.length == 0) return null;
    RecordReader in = new RecordReader(record);
    String url = in.readString();
    String method = in.readString();
    var headers = in.readHeaders();
    int maxRetries = in.readSignedInt();
    String retryDelayExpression = in.readString();
    long timeoutMillis = in.readSignedLong();
    long delayMillis = in.readSignedLong();
    FlowControl flow = decodeFlowControl(in.readBytes());
    return new CallbackConfig(
        url, method, headers, maxRetries, retryDelayExpression, timeoutMillis, delayMillis, flow);
  }

  /** FlowControl: key, parallelism (signed), rate (signed), periodSeconds (signed). */
  public static byte[] encode(FlowControl f) {
    if (f == null) return NONE;
    RecordWriter out =
        new RecordWriter(
            sizeOfString(f.key())
                + sizeOfSignedInt(f.parallelism())
                + sizeOfSignedInt(f.rate())
                + sizeOfSignedLong(f.periodSeconds()));
    out.writeString(f.key());
    out.writeSignedInt(f.parallelism());
    out.writeSignedInt(f.rate());
    out.writeSignedLong(f.periodSeconds());
    return out.finish();
  }

  public static FlowControl decodeFlowControl(byte[] record) {
    if (record.length == 0) return null;
    RecordReader in = new RecordReader(record);
    return new FlowControl(
        in.readString(), in.readSignedInt(), in.readSignedInt(), in.readSignedLong());
  }
}
