package dev.ferry.store.codec;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes one binary record into an array sized exactly beforehand (see the {@code sizeOf*}
 * helpers), so encoding allocates nothing but the result and short-lived UTF-8 copies of longer
 * strings. Used by {@link MessageCodec} on the caller's thread; not thread-safe.
 *
 * <p>Primitives: fixed 8-byte big-endian longs, unsigned varints (7 bits per byte, little-endian
 * groups), zig-zag varints for values that may be negative, and strings as {@code varint(utf8Length
 * + 1)} then the UTF-8 bytes, where a prefix of 0 means null. One string encoding for nullable and
 * non-null fields keeps the format uniform.
 */
public final class RecordWriter {
  /**
   * Strings shorter than this are sized and written a char at a time; longer ones through the JDK's
   * encoder.
   */
  private static final int LOOP_BELOW_CHARS = 16;

  private final byte[] buf;
  private int pos;

  public RecordWriter(int size) {
    this.buf = new byte[size];
  }

  public byte[] finish() {
    if (pos != buf.length) {
      throw new IllegalStateException(
          "record size mismatch: sized " + buf.length + ", wrote " + pos);
    }
    return buf;
  }

  public void writeByte(int b) {
    buf[pos++] = (byte) b;
  }

  public void writeLong(long v) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      buf[pos++] = (byte) (v >>> shift);
    }
  }

  public void writeVarInt(int v) {
    while ((v & ~0x7F) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
  }

  public void writeVarLong(long v) {
    while ((v & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
  }

  public void writeSignedInt(int v) {
    writeVarInt((v << 1) ^ (v >> 31));
  }

  public void writeSignedLong(long v) {
    writeVarLong((v << 1) ^ (v >> 63));
  }

  public void writeBytes(byte[] bytes) {
    writeVarInt(bytes.length);
    System.arraycopy(bytes, 0, buf, pos, bytes.length);
    pos += bytes.length;
  }

  public void writeString(String s) {
    if (s == null) {
      writeVarInt(0);
      return;
    }
    if (s.length() < LOOP_BELOW_CHARS) {
      writeVarInt(utf8Length(s) + 1);
      writeUtf8(s);
      return;
    }
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    writeVarInt(utf8.length + 1);
    System.arraycopy(utf8, 0, buf, pos, utf8.length);
    pos += utf8.length;
  }

  public void writeStrings(List<String> values) {
    writeVarInt(values.size());
    for (String v : values) {
      writeString(v);
    }
  }

  public void writeHeaders(Map<String, List<String>> headers) {
    writeVarInt(headers.size());
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      writeString(e.getKey());
      writeStrings(e.getValue());
    }
  }

  public static int sizeOfVarInt(int v) {
    int n = 1;
    while ((v & ~0x7F) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  public static int sizeOfVarLong(long v) {
    int n = 1;
    while ((v & ~0x7FL) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  public static int sizeOfSignedInt(int v) {
    return sizeOfVarInt((v << 1) ^ (v >> 31));
  }

  public static int sizeOfSignedLong(long v) {
    return sizeOfVarLong((v << 1) ^ (v >> 63));
  }

  public static int sizeOfBytes(byte[] bytes) {
    return sizeOfVarInt(bytes.length) + bytes.length;
  }

  public static int sizeOfString(String s) {
    if (s == null) {
      return 1;
    }
    int len = utf8Length(s);
    return sizeOfVarInt(len + 1) + len;
  }

  public static int sizeOfStrings(List<String> values) {
    int n = sizeOfVarInt(values.size());
    for (String v : values) {
      n += sizeOfString(v);
    }
    return n;
  }

  public static int sizeOfHeaders(Map<String, List<String>> headers) {
    int n = sizeOfVarInt(headers.size());
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      n += sizeOfString(e.getKey()) + sizeOfStrings(e.getValue());
    }
    return n;
  }

  /**
   * UTF-8 length computed from the chars, so sizing needs no temporary byte array. An unpaired
   * surrogate counts as one byte because it is written as '?', exactly as {@code
   * String.getBytes(UTF_8)} would.
   */
  public static int utf8Length(String s) {
    int n = s.length();
    // The JDK's encoder checks a Latin-1 string for non-ASCII bytes with a vectorised intrinsic and
    // then copies it:
    // for all but short strings that short-lived copy is cheaper than the loop below (a char at a
    // time).
    if (n >= LOOP_BELOW_CHARS) return s.getBytes(StandardCharsets.UTF_8).length;
    int len = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        continue;
      }
      if (c < 0x800) {
        len += 1;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        len += 2; // two chars, four bytes
        i++;
      } else if (!Character.isSurrogate(c)) {
        len += 2;
      }
    }
    return len;
  }

  private void writeUtf8(String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        buf[pos++] = (byte) c;
      } else if (c < 0x800) {
        buf[pos++] = (byte) (0xC0 | (c >> 6));
        buf[pos++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        buf[pos++] = (byte) (0xF0 | (cp >> 18));
        buf[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        buf[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        buf[pos++] = (byte) (0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        buf[pos++] = '?';
      } else {
        buf[pos++] = (byte) (0xE0 | (c >> 12));
        buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        buf[pos++] = (byte) (0x80 | (c & 0x3F));
      }
    }
  }
}
