package dev.ferry.crash;

import dev.ferry.testing.Polls;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Compares the producer's history with what the destination received, as a Jepsen set checker does:
 * lost = ok − delivered, duplicates = 2xx receipts beyond the first per message, unexpected =
 * delivered messages that were never attempted (neither ok nor unknown), and tags that arrived
 * under more than one message id (a redelivery must keep its {@code Upstash-Message-Id}).
 */
public final class CrashChecker {
  private CrashChecker() {}

  /** The counts of one run. */
  public record Verdict(
      long ok,
      long failed,
      long unknown,
      long receipts,
      long delivered,
      Set<String> lost,
      long duplicates,
      Set<String> unexpected,
      Set<String> tagsWithSeveralIds) {
    /** One line for the test output. */
    public String summary() {
      return "ok="
          + ok
          + " fail="
          + failed
          + " unknown="
          + unknown
          + " receipts="
          + receipts
          + " delivered="
          + delivered
          + " lost="
          + lost.size()
          + " duplicates="
          + duplicates
          + " unexpected="
          + unexpected.size()
          + " tagsWithSeveralIds="
          + tagsWithSeveralIds.size();
    }
  }

  public static Verdict check(ProducerLog producer, Receipts receipts) {
    Set<String> okIds = producer.okIds();
    Set<String> unknownTags = producer.tags(ProducerLog.Kind.UNKNOWN);
    Map<String, Integer> deliveries = new HashMap<>();
    Map<String, Set<String>> idsByTag = new HashMap<>();
    Set<String> unexpected = new HashSet<>();
    long count = 0;
    for (Receipts.Receipt r : receipts.all()) {
      count++;
      idsByTag.computeIfAbsent(r.tag(), t -> new HashSet<>()).add(r.messageId());
      if (!r.delivered()) continue;
      deliveries.merge(r.messageId(), 1, Integer::sum);
      if (!okIds.contains(r.messageId()) && !unknownTags.contains(r.tag()))
        unexpected.add(r.messageId());
    }
    Set<String> lost = new HashSet<>(okIds);
    lost.removeAll(deliveries.keySet());
    long duplicates = deliveries.values().stream().mapToLong(n -> n - 1).sum();
    Set<String> severalIds = new HashSet<>();
    idsByTag.forEach(
        (tag, ids) -> {
          if (ids.size() > 1) severalIds.add(tag);
        });
    return new Verdict(
        producer.count(ProducerLog.Kind.OK),
        producer.count(ProducerLog.Kind.FAIL),
        producer.count(ProducerLog.Kind.UNKNOWN),
        count,
        deliveries.size(),
        lost,
        duplicates,
        unexpected,
        severalIds);
  }

  /**
   * Checks until nothing acknowledged is missing any more, or {@code timeoutMillis} pass; the last
   * verdict.
   */
  public static Verdict awaitDelivered(
      ProducerLog producer, Receipts receipts, long timeoutMillis) {
    AtomicReference<Verdict> v = new AtomicReference<>();
    Polls.waitUpTo(
        Duration.ofMillis(timeoutMillis),
        Duration.ofMillis(100),
        () -> {
          v.set(check(producer, receipts));
          return v.get().lost().isEmpty();
        });
    return v.get();
  }
}
