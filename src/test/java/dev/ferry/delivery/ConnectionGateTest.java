package dev.ferry.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.testing.Polls;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Attempts per destination at most its connections; the rest wait their turn or give up. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConnectionGateTest {
  private static final String HOST = "http://a.example:80";
  private final AttemptDeadlines deadlines = new AttemptDeadlines();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private ConnectionGate gate;
  private Context context;

  @BeforeEach
  void setUp(Vertx vertx) {
    gate = new ConnectionGate(2, deadlines);
    context = vertx.getOrCreateContext();
  }

  @AfterEach
  void tearDown() {
    deadlines.close();
  }

  @Test
  void at_most_the_connections_run_and_the_rest_start_in_order_as_they_leave() throws Exception {
    for (int i = 1; i <= 4; i++) gate.enter(HOST, context, 60_000, waiter("m" + i));
    assertEquals(List.of("start m1", "start m2"), events);
    assertEquals(2, gate.waiting());

    gate.leave(HOST, true);
    Polls.waitUpTo(Duration.ofSeconds(5), () -> events.size() == 3);
    gate.leave(HOST, true);
    Polls.waitUpTo(Duration.ofSeconds(5), () -> events.size() == 4);
    assertEquals(List.of("start m1", "start m2", "start m3", "start m4"), events);
    assertEquals(0, gate.waiting());
  }

  @Test
  void destinations_do_not_share_connections() {
    gate.enter(HOST, context, 60_000, waiter("a1"));
    gate.enter(HOST, context, 60_000, waiter("a2"));
    gate.enter("http://b.example:80", context, 60_000, waiter("b1"));
    assertEquals(List.of("start a1", "start a2", "start b1"), events);
  }

  @Test
  void a_waiting_attempt_gives_up_after_its_timeout_when_the_destination_answers_nothing()
      throws Exception {
    gate.enter(HOST, context, 60_000, waiter("m1"));
    gate.enter(HOST, context, 60_000, waiter("m2"));
    gate.enter(HOST, context, 200, waiter("m3"));

    Polls.waitUpTo(Duration.ofSeconds(5), () -> events.contains("give up m3"));
    assertEquals(0, gate.waiting());
    gate.leave(HOST, false);
    gate.enter(HOST, context, 60_000, waiter("m4"));
    Thread.sleep(100);
    assertEquals(List.of("start m1", "start m2", "give up m3", "start m4"), events);
  }

  @Test
  void a_waiting_attempt_keeps_waiting_while_the_destination_answers_others() throws Exception {
    gate.enter(HOST, context, 60_000, waiter("m1"));
    gate.enter(HOST, context, 60_000, waiter("m2"));
    for (int i = 1; i <= 3; i++) gate.enter(HOST, context, 60_000, waiter("w" + i));
    gate.enter(HOST, context, 300, waiter("late"));
    for (int i = 0; i < 4; i++) {
      Thread.sleep(150);
      gate.leave(HOST, true); // an answer every half of late's timeout
    }
    Polls.waitUpTo(Duration.ofSeconds(5), () -> events.contains("start late"));
    assertEquals(
        List.of("start m1", "start m2", "start w1", "start w2", "start w3", "start late"), events);
  }

  @Test
  void a_waiting_attempt_gives_up_once_the_destination_stops_answering() throws Exception {
    gate.enter(HOST, context, 60_000, waiter("m1"));
    gate.enter(HOST, context, 60_000, waiter("m2"));
    gate.enter(HOST, context, 60_000, waiter("m3"));
    gate.enter(HOST, context, 300, waiter("m4"));
    gate.leave(HOST, true); // m3 starts: an answer within m4's first timeout, none after
    Polls.waitUpTo(Duration.ofSeconds(5), () -> events.contains("give up m4"));
    assertEquals(List.of("start m1", "start m2", "start m3", "give up m4"), events);
  }

  private ConnectionGate.Waiter waiter(String name) {
    return new ConnectionGate.Waiter() {
      @Override
      public void start(boolean waited) {
        events.add("start " + name);
      }

      @Override
      public void giveUp() {
        events.add("give up " + name);
      }
    };
  }
}
