package dev.ferry.crash;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every publish outcome, keyed by the unique tag the producer put in the message body: {@code
 * ok(messageId)} (a 2xx naming the id), {@code fail(status)} (an answer refusing it) or {@code
 * unknown} (no answer: the connection broke, e.g. at the kill; the message may or may not have been
 * stored). Thread-safe.
 */
public final class ProducerLog {
  /** One outcome. {@code messageId} only for ok, {@code status} only for fail. */
  public record Outcome(Kind kind, String messageId, int status) {}

  /** ok / fail / unknown, as in a Jepsen history. */
  public enum Kind {
    OK,
    FAIL,
    UNKNOWN
  }

  private final Map<String, Outcome> byTag = new ConcurrentHashMap<>();

  public void ok(String tag, String messageId) {
    record(tag, new Outcome(Kind.OK, messageId, 0));
  }

  public void fail(String tag, int status) {
    record(tag, new Outcome(Kind.FAIL, null, status));
  }

  public void unknown(String tag) {
    record(tag, new Outcome(Kind.UNKNOWN, null, 0));
  }

  private void record(String tag, Outcome outcome) {
    if (byTag.putIfAbsent(tag, outcome) != null)
      throw new IllegalStateException("tag " + tag + " published twice");
  }

  /** The ids of every message that got a 2xx. */
  public Set<String> okIds() {
    Set<String> ids = new HashSet<>();
    byTag
        .values()
        .forEach(
            o -> {
              if (o.kind() == Kind.OK) ids.add(o.messageId());
            });
    return ids;
  }

  public Set<String> tags(Kind kind) {
    Set<String> tags = new HashSet<>();
    byTag.forEach(
        (tag, o) -> {
          if (o.kind() == kind) tags.add(tag);
        });
    return tags;
  }

  public long count(Kind kind) {
    return byTag.values().stream().filter(o -> o.kind() == kind).count();
  }

  public Outcome outcome(String tag) {
    return byTag.get(tag);
  }
}
