package dev.ferry.lifecycle;

import dev.ferry.model.Message;

/**
 * Message fields that filters and API output read but that not every build's {@link Message}
 * carries yet (schedules and flow control are added by other features): the one place to switch to
 * the real accessor when they land.
 */
public final class MessageFields {
  private MessageFields() {}

  /** The schedule that produced the message, or null. */
  public static String scheduleId(Message m) {
    return m.scheduleId();
  }

  /** The message's flow-control key, or null. */
  public static String flowControlKey(Message m) {
    return m.flowControl() == null ? null : m.flowControl().key();
  }

  /** The message's {@code Upstash-Redact-Fields} (normalised, comma separated), or null. */
  public static String redactFields(Message m) {
    return m.redactFields();
  }

  /**
   * Unix ms encoded in a Ferry message id ({@code msg_} + 11 base62 digits of {@code millis << 16 |
   * seq} + random), or -1 when the id is not one of Ferry's. Lets a lookup by message id skip log
   * entries older than the message.
   */
  public static long createdAtOfId(String messageId) {
    if (messageId == null || messageId.length() < 15 || !messageId.startsWith("msg_")) return -1;
    long v = 0;
    for (int i = 4; i < 15; i++) {
      char c = messageId.charAt(i);
      int d =
          c >= '0' && c <= '9'
              ? c - '0'
              : c >= 'A' && c <= 'Z' ? c - 'A' + 10 : c >= 'a' && c <= 'z' ? c - 'a' + 36 : -1;
      if (d < 0) return -1;
      v = v * 62 + d;
      if (v < 0) return -1;
    }
    return v >>> 16;
  }
}
