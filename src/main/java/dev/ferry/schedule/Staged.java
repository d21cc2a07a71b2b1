package dev.ferry.schedule;

import dev.ferry.model.Message;
import dev.ferry.model.StoreCopies;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * Messages already read from the store a few milliseconds before they fall due, held until their
 * due time and then handed on. Reading ahead takes the store read off the critical path of firing
 * (it is most of the lateness a due message sees); holding keeps "never early". Small by
 * construction: only the prefetch window's worth of messages. Confined to the scheduler's event
 * loop.
 */
final class Staged {
  private record Entry(long dueAt, Message message, long readNanos) {}

  private final Vertx vertx;
  private final Clock clock;
  private final Consumer<StoreCopies> sink;
  private final PriorityQueue<Entry> held =
      new PriorityQueue<>((a, b) -> Long.compare(a.dueAt(), b.dueAt()));
  private long timerId = -1;

  Staged(Vertx vertx, Clock clock, Consumer<StoreCopies> sink) {
    this.vertx = vertx;
    this.clock = clock;
    this.sink = sink;
  }

  /**
   * Hands on what is due now and holds the rest until its time ({@code dueAt}: when the entry may
   * fire).
   */
  void offer(StoreCopies copies, ToLongFunction<Message> dueAt) {
    long now = clock.millis();
    List<Message> ready = new ArrayList<>(copies.messages().size());
    for (Message m : copies.messages()) {
      long due = dueAt.applyAsLong(m);
      if (due <= now) {
        ready.add(m);
      } else {
        held.add(new Entry(due, m, copies.readNanos()));
      }
    }
    if (!ready.isEmpty()) sink.accept(new StoreCopies(ready, copies.readNanos()));
    arm();
  }

  int size() {
    return held.size();
  }

  private void arm() {
    if (timerId >= 0 || held.isEmpty()) return;
    timerId =
        vertx.setTimer(
            Math.max(1, held.peek().dueAt() - clock.millis()),
            t -> {
              timerId = -1;
              release();
            });
  }

  /** Hands on what is due, together with others read by the same store read. */
  private void release() {
    long now = clock.millis();
    Map<Long, List<Message>> readTogether = new LinkedHashMap<>();
    while (!held.isEmpty() && held.peek().dueAt() <= now) {
      Entry e = held.poll();
      readTogether.computeIfAbsent(e.readNanos(), r -> new ArrayList<>()).add(e.message());
    }
    readTogether.forEach((readNanos, ready) -> sink.accept(new StoreCopies(ready, readNanos)));
    arm();
  }
}
