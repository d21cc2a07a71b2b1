package dev.ferry.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.model.Message;
import dev.ferry.model.StoreCopies;
import dev.ferry.store.StoreFixtures;
import dev.ferry.testing.Polls;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Messages read ahead of their due time go on at that time, never before. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class StagedTest {

  @Test
  void held_messages_go_on_at_their_due_time_and_not_before(Vertx vertx) throws Exception {
    Clock clock = Clock.systemUTC();
    Map<String, Long> handedOnAt = new ConcurrentHashMap<>();
    long now = clock.millis();
    Message dueNow = StoreFixtures.message("acme", now - 5);
    Message soon = StoreFixtures.message("acme", now + 40);
    Message later = StoreFixtures.message("acme", now + 120);
    Map<String, Long> due =
        Map.of(dueNow.id(), dueNow.dueAt(), soon.id(), soon.dueAt(), later.id(), later.dueAt());
    vertx.runOnContext(
        v ->
            new Staged(
                    vertx,
                    clock,
                    copies ->
                        copies.messages().forEach(m -> handedOnAt.put(m.id(), clock.millis())))
                .offer(
                    new StoreCopies(List.of(later, dueNow, soon), System.nanoTime()),
                    m -> due.get(m.id())));
    Polls.waitUpTo(Duration.ofSeconds(5), () -> handedOnAt.size() >= 3);
    assertEquals(3, handedOnAt.size());
    for (Message m : List.of(dueNow, soon, later)) {
      assertTrue(
          handedOnAt.get(m.id()) >= m.dueAt(),
          m.id() + " went on " + (m.dueAt() - handedOnAt.get(m.id())) + " ms early");
    }
    assertTrue(handedOnAt.get(later.id()) - later.dueAt() < 1000, "held far past its due time");
  }
}
