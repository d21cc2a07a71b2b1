package dev.ferry.crash;

import dev.ferry.testing.Sink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The recording side of the destination: every request the {@link Sink} receives on a recorded
 * path, with its {@code Upstash-Message-Id}, body (the producer's tag), {@code Upstash-Retried} and
 * the status the sink decided to answer. A 2xx decision counts as delivered even if the answer
 * never reaches Ferry (it was killed meanwhile): the receiver did its work, and the redelivery that
 * follows is a duplicate. Thread-safe.
 */
public final class Receipts {
  /** One request as the destination saw it. */
  public record Receipt(
      String path, String messageId, String tag, int retried, int status, long atMillis) {
    public boolean delivered() {
      return status >= 200 && status < 300;
    }
  }

  private final ConcurrentLinkedQueue<Receipt> all = new ConcurrentLinkedQueue<>();

  /**
   * Records every request to {@code path} on {@code sink} and answers it as {@code policy} says.
   */
  public Receipts record(Sink sink, String path, Function<Sink.Received, Sink.Reply> policy) {
    sink.on(
        path,
        r -> {
          Sink.Reply reply = policy.apply(r);
          String retried = r.header("Upstash-Retried");
          all.add(
              new Receipt(
                  path,
                  r.header("Upstash-Message-Id"),
                  r.body().toString(),
                  retried == null ? -1 : Integer.parseInt(retried),
                  reply.status(),
                  System.currentTimeMillis()));
          return reply;
        });
    return this;
  }

  public List<Receipt> all() {
    return new ArrayList<>(all);
  }

  public long count(Predicate<Receipt> which) {
    return all.stream().filter(which).count();
  }
}
