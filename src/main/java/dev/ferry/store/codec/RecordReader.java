package dev.ferry.store.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the primitives {@link RecordWriter} writes, from one record. {@link #hasMore()} is what
 * lets a decoder stop before fields that older writers did not have. Runs on whichever thread
 * decodes; not thread-safe.
 */
public final class RecordReader {
  private final byte[] buf;
  private int pos;

  public RecordReader(byte[] buf) {
    this.buf = buf;
  }

  /** Reads from {@code offset} on (a caller that already looked at the first bytes). */
  public RecordReader(byte[] buf, int offset) {
    this.buf = buf;
    this.pos = offset;
  }

  public boolean hasMore() {
    return pos < buf.length;
  }

  public int readByte() {
    require(1);
    return buf[pos++] & 0xFF;
  }

  public long readLong() {
    require(8);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (buf[pos++] & 0xFF);
    }
    return v;
  }

  public int readVarInt() {
    int v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = readByte();
      v |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IllegalStateException("malformed varint at " + pos);
  }

  public long readVarLong() {
    long v = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      int b = readByte();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IllegalStateException("malformed varlong at " + pos);
  }

  public int readSignedInt() {
    int v = readVarInt();
    return (v >>> 1) ^ -(v & 1);
  }

  public long readSignedLong() {
    long v = readVarLong();
    return (v >>> 1) ^ -(v & 1);
  }

  public byte[] readBytes() {
    int len = readLength();
    byte[] out = Arrays.copyOfRange(buf, pos, pos + len);
    pos += len;
    return out;
  }

  public String readString() {
    int prefix = readVarInt();
    if (prefix == 0) {
      return null;
    }
    int len = prefix - 1;
    require(len);
    String s = new String(buf, pos, len, StandardCharsets.UTF_8);
    pos += len;
    return s;
  }

  public List<String> readStrings() {
    int n = readLength();
    String[] values = new String[n];
    for (int i = 0; i < n; i++) {
      values[i] = readString();
    }
    return Collections.unmodifiableList(Arrays.asList(values));
  }

  public Map<String, List<String>> readHeaders() {
    int n = readLength();
    if (n == 0) {
      return Map.of();
    }
    Map<String, List<String>> headers = new LinkedHashMap<>((int) (n / 0.75f) + 1);
    for (int i = 0; i < n; i++) {
      headers.put(readString(), readStrings());
    }
    return Collections.unmodifiableMap(headers);
  }

  private int readLength() {
    int len = readVarInt();
    if (len < 0) {
      throw new IllegalStateException("negative length at " + pos);
    }
    require(len);
    return len;
  }

  private void require(int n) {
    if (n > buf.length - pos) {
      throw new IllegalStateException(
          "truncated record: need " + n + " bytes at " + pos + " of " + buf.length);
    }
  }
}
