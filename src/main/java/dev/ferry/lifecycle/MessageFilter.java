package dev.ferry.lifecycle;

import dev.ferry.model.Message;
import dev.ferry.model.MessageState;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The filters of the logs, DLQ and bulk-cancel endpoints (docs/compatibility.md#filters), parsed
 * once from query parameters or a legacy JSON body. Values within one filter are OR-ed, different
 * filters AND-ed; an absent filter matches all. Pure; any thread. Parse failures are {@link
 * IllegalArgumentException}s naming the parameter (the API makes them 400).
 *
 * @param messageIds {@code messageIds} (and the legacy single {@code messageId})
 * @param urls destination URLs
 * @param hosts destination hosts ({@code host} or {@code host:port})
 * @param paths destination paths
 * @param topicNames URL-group names ({@code topicName}, or {@code urlGroup})
 * @param scheduleIds schedule ids
 * @param queueNames queue names
 * @param labels labels: a message matches when it has any of them
 * @param flowControlKeys flow-control keys
 * @param callerIps publisher addresses ({@code callerIp}, or the deprecated {@code callerIP})
 * @param states log states ({@code IN_PROGRESS} = ACTIVE, RETRY, ERROR)
 * @param responseStatuses DLQ: status of the last attempt
 * @param fromDate earliest time (Unix ms, inclusive), 0 = unbounded
 * @param toDate latest time (Unix ms, inclusive), Long.MAX_VALUE = unbounded
 */
public record MessageFilter(
    Set<String> messageIds,
    Set<String> urls,
    Set<String> hosts,
    Set<String> paths,
    Set<String> topicNames,
    Set<String> scheduleIds,
    Set<String> queueNames,
    Set<String> labels,
    Set<String> flowControlKeys,
    Set<String> callerIps,
    Set<MessageState> states,
    Set<Integer> responseStatuses,
    long fromDate,
    long toDate) {

  /**
   * How to read one named parameter's values (query: every occurrence; JSON: a string, number or
   * array).
   */
  @FunctionalInterface
  public interface Source {
    List<String> values(String name);
  }

  public static final MessageFilter NONE =
      new MessageFilter(
          Set.of(),
          Set.of(),
          Set.of(),
          Set.of(),
          Set.of(),
          Set.of(),
          Set.of(),
          Set.of(),
          Set.of(),
          Set.of(),
          Set.of(),
          Set.of(),
          0,
          Long.MAX_VALUE);

  public static MessageFilter parse(Source source) {
    Set<String> ids = set(source, "messageIds", "messageId");
    Set<MessageState> states = EnumSet.noneOf(MessageState.class);
    for (String s : set(source, "state")) {
      if (s.equalsIgnoreCase("IN_PROGRESS")) {
        states.addAll(List.of(MessageState.ACTIVE, MessageState.RETRY, MessageState.ERROR));
      } else {
        states.add(
            MessageState.parse(s)
                .orElseThrow(
                    () -> new IllegalArgumentException("state: unknown state \"" + s + "\"")));
      }
    }
    Set<Integer> statuses = new LinkedHashSet<>();
    for (String s : set(source, "responseStatus")) {
      try {
        statuses.add(Integer.parseInt(s));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "responseStatus: must be an HTTP status code, got \"" + s + "\"");
      }
    }
    long from = millis(source, "fromDate", 0);
    long to = millis(source, "toDate", Long.MAX_VALUE);
    return new MessageFilter(
        ids,
        urls(source),
        set(source, "host"),
        set(source, "path"),
        set(source, "topicName", "urlGroup"),
        set(source, "scheduleId"),
        set(source, "queueName"),
        set(source, "label"),
        set(source, "flowControlKey"),
        set(source, "callerIp", "callerIP"),
        states,
        statuses,
        from,
        to);
  }

  /** True when no filter (other than dates) is given. */
  public boolean selectsAll() {
    return messageIds.isEmpty()
        && urls.isEmpty()
        && hosts.isEmpty()
        && paths.isEmpty()
        && topicNames.isEmpty()
        && scheduleIds.isEmpty()
        && queueNames.isEmpty()
        && labels.isEmpty()
        && flowControlKeys.isEmpty()
        && callerIps.isEmpty()
        && states.isEmpty()
        && responseStatuses.isEmpty()
        && fromDate == 0
        && toDate == Long.MAX_VALUE;
  }

  /**
   * The same filter without message ids, states and dates: what only the message's own fields
   * decide.
   */
  public MessageFilter withoutIdsAndStates() {
    return new MessageFilter(
        Set.of(),
        urls,
        hosts,
        paths,
        topicNames,
        scheduleIds,
        queueNames,
        labels,
        flowControlKeys,
        callerIps,
        Set.of(),
        responseStatuses,
        0,
        Long.MAX_VALUE);
  }

  /**
   * Whether the message's own fields pass (ids, destination, group, schedule, queue, labels, key,
   * caller).
   */
  public boolean matches(Message m) {
    if (!messageIds.isEmpty() && !messageIds.contains(m.id())) return false;
    if (!urls.isEmpty() && !urls.contains(m.url())) return false;
    if (!hosts.isEmpty() || !paths.isEmpty()) {
      URI uri;
      try {
        uri = URI.create(m.url());
      } catch (IllegalArgumentException e) {
        return false;
      }
      if (!hosts.isEmpty()
          && !hosts.contains(uri.getHost())
          && !hosts.contains(uri.getHost() + ":" + uri.getPort())) {
        return false;
      }
      String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      if (!paths.isEmpty() && !paths.contains(path)) return false;
    }
    if (!in(topicNames, m.topicName())) return false;
    if (!in(scheduleIds, MessageFields.scheduleId(m))) return false;
    if (!in(queueNames, m.queueName())) return false;
    if (!in(flowControlKeys, MessageFields.flowControlKey(m))) return false;
    if (!in(callerIps, m.callerIp())) return false;
    if (!labels.isEmpty() && m.labels().stream().noneMatch(labels::contains)) return false;
    return true;
  }

  public boolean inTime(long millis) {
    return millis >= fromDate && millis <= toDate;
  }

  private static boolean in(Set<String> wanted, String value) {
    return wanted.isEmpty() || (value != null && wanted.contains(value));
  }

  /** Every value of the named parameters, each split at commas, blanks dropped. */
  static Set<String> set(Source source, String... names) {
    Set<String> out = new LinkedHashSet<>();
    for (String name : names) {
      for (String value : source.values(name)) {
        for (String part : value.split(",")) {
          if (!part.isBlank()) out.add(part.trim());
        }
      }
    }
    return out;
  }

  /**
   * URLs may contain commas themselves: a comma starts a new value only where an http(s) URL
   * follows.
   */
  private static Set<String> urls(Source source) {
    Set<String> out = new LinkedHashSet<>();
    for (String value : source.values("url")) {
      List<String> parts = new ArrayList<>();
      for (String part : value.split(",")) {
        String p = part.trim();
        if (!parts.isEmpty() && !p.startsWith("http://") && !p.startsWith("https://")) {
          parts.set(parts.size() - 1, parts.get(parts.size() - 1) + "," + part);
        } else if (!p.isEmpty()) {
          parts.add(p);
        }
      }
      out.addAll(parts);
    }
    return out;
  }

  private static long millis(Source source, String name, long absent) {
    List<String> values = source.values(name);
    if (values.isEmpty() || values.get(0).isBlank()) return absent;
    try {
      long v = Long.parseLong(values.get(0).trim());
      if (v < 0) throw new NumberFormatException();
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + ": must be a Unix timestamp in milliseconds, got \"" + values.get(0) + "\"");
    }
  }

  /** A {@link Source} over query parameters (every occurrence of a name). */
  public static Source ofQuery(Function<String, List<String>> getAll) {
    return getAll::apply;
  }

  /**
   * A {@link Source} over a JSON object's fields: a string or number is one value, an array
   * several.
   */
  public static Source ofJson(Map<String, Object> json) {
    return name -> {
      Object v = json.get(name);
      if (v == null) return List.of();
      if (v instanceof Iterable<?> list) {
        List<String> out = new ArrayList<>();
        for (Object o : list) {
          if (o != null) out.add(scalar(name, o));
        }
        return out;
      }
      return List.of(scalar(name, v));
    };
  }

  private static String scalar(String name, Object v) {
    if (v instanceof String || v instanceof Number) return v.toString();
    throw new IllegalArgumentException(name + ": must be a string, a number or an array of them");
  }
}
