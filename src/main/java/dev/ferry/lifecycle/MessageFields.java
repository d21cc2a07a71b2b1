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
}
