package dev.ferry.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.store.StoreUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CommandGateTest {
  @Test
  void never_runs_more_than_its_permits_and_starts_the_waiting_in_order() {
    CommandGate gate = new CommandGate(2);
    List<Promise<String>> started = new ArrayList<>();
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      results.add(
          gate.run(
              () -> {
                Promise<String> p = Promise.promise();
                started.add(p);
                return p.future();
              },
              60_000));
    }
    assertEquals(2, started.size());
    assertEquals(3, gate.waiting());
    started.get(1).complete("b");
    assertEquals(3, started.size(), "the first waiter starts when a permit frees");
    started.get(0).fail(new IllegalStateException("boom"));
    started.get(2).complete("c");
    started.get(3).complete("d");
    assertEquals(5, started.size());
    started.get(4).complete("e");
    assertEquals("boom", results.get(0).cause().getMessage());
    assertEquals(
        List.of("b", "c", "d", "e"),
        List.of(
            results.get(1).result(),
            results.get(2).result(),
            results.get(3).result(),
            results.get(4).result()));
    assertEquals(0, gate.waiting());
    AtomicInteger ran = new AtomicInteger();
    gate.run(() -> Future.succeededFuture(ran.incrementAndGet()), 60_000);
    assertEquals(1, ran.get(), "both permits are free again");
  }

  @Test
  void an_operation_that_waited_past_its_deadline_fails_without_being_sent() throws Exception {
    CommandGate gate = new CommandGate(1);
    Promise<String> first = Promise.promise();
    gate.run(() -> first.future(), 60_000);
    AtomicInteger sent = new AtomicInteger();
    Future<Integer> late = gate.run(() -> Future.succeededFuture(sent.incrementAndGet()), 1);
    Future<Integer> onTime =
        gate.run(() -> Future.succeededFuture(sent.incrementAndGet() * 10), 60_000);
    Thread.sleep(20); // the second operation's 1 ms passes while the first holds the only permit
    first.complete("a");
    assertTrue(late.failed());
    assertInstanceOf(StoreUnavailableException.class, late.cause());
    assertEquals(10, onTime.result(), "the next one in time runs, and only it was sent");
    assertEquals(1, sent.get());
    assertFalse(gate.waiting() > 0);
  }
}
