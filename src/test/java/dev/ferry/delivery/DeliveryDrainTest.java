package dev.ferry.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Delivery's drain: no attempt starts after stop, running ones are waited for until the deadline,
 * then abandoned.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DeliveryDrainTest {

  @Test
  void stop_completes_at_once_when_nothing_runs_and_refuses_new_attempts(Vertx vertx)
      throws Exception {
    DeliveryDrain drain = new DeliveryDrain();
    assertEquals(0, drain.stop(vertx, 60_000).await(1, TimeUnit.SECONDS));
    assertFalse(drain.enter());
    assertEquals(0, drain.running());
  }

  @Test
  void stop_waits_for_running_attempts_to_be_recorded(Vertx vertx) throws Exception {
    DeliveryDrain drain = new DeliveryDrain();
    assertTrue(drain.enter());
    assertTrue(drain.enter());
    Future<Integer> stopped = drain.stop(vertx, 60_000);
    drain.exit();
    assertFalse(stopped.isComplete(), "one attempt still runs");
    drain.exit();
    assertEquals(0, stopped.await(1, TimeUnit.SECONDS), "none abandoned");
    assertFalse(drain.abandoned());
  }

  @Test
  void attempts_still_running_at_the_deadline_are_abandoned(Vertx vertx) throws Exception {
    DeliveryDrain drain = new DeliveryDrain();
    drain.enter();
    drain.enter();
    drain.enter();
    Future<Integer> stopped = drain.stop(vertx, 50);
    drain.exit();
    assertEquals(2, stopped.await(5, TimeUnit.SECONDS));
    assertTrue(drain.abandoned(), "their outcomes are not recorded any more");
  }

  @Test
  void attempts_get_the_grace_period_minus_a_fifth_of_it_at_most_five_seconds_for_closing() {
    assertEquals(Duration.ofSeconds(5), DeliveryDrain.closeReserve(Duration.ofSeconds(30)));
    assertEquals(Duration.ofMillis(1200), DeliveryDrain.closeReserve(Duration.ofSeconds(6)));
    assertEquals(Duration.ofSeconds(5), DeliveryDrain.closeReserve(Duration.ofMinutes(10)));
  }
}
